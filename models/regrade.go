package models

import (
	"context"
	"encoding/json"
	"fmt"
)

// RegradeAllowed reports whether the user may have a turn of their round
// graded again: only a fallback grade (the model failed and the rubric's
// grade stands, its evidence says llm_error) may be. Once the model has
// graded the answer there is no fallback left, so a turn is re-graded
// successfully at most once. ErrNotFound for another user's turn.
func (s *Store) RegradeAllowed(ctx context.Context, userID, roundID, turnID uint) error {
	var t Turn
	err := s.db.WithContext(ctx).Select("id", "evidence").
		Where("id = ? AND round_id = ? AND user_id = ?", turnID, roundID, userID).First(&t).Error
	if err != nil {
		return notFound(err, "turn %d of round %d", turnID, roundID)
	}
	var e struct {
		LLMError string `json:"llm_error"`
	}
	if t.Evidence == "" || json.Unmarshal([]byte(t.Evidence), &e) != nil || e.LLMError == "" {
		return &UserError{Kind: ErrConflict, Msg: fmt.Sprintf("answer %d was graded by the model already: only a fallback grade can be graded again", turnID)}
	}
	return nil
}

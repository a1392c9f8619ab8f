package llm

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"
)

// Tags around the text the model must read as data, never as instructions.
const (
	answerTag = "candidate_answer"
	jdTag     = "job_description"
)

// tagLike finds anything that reads as one of our tags, so a text cannot
// close its block early and speak as the prompt.
var tagLike = regexp.MustCompile(`(?i)<\s*/?\s*(?:` + answerTag + `|` + jdTag + `)[^>]*>`)

// dataBlock puts untrusted text inside tag, with any tag-like text in it
// defused.
func dataBlock(tag, text string) string {
	text = tagLike.ReplaceAllString(strings.ToValidUTF8(text, "\uFFFD"), "(tag removed)")
	return "<" + tag + ">\n" + text + "\n</" + tag + ">"
}

// jsonSchemaFormat asks for structured output matching schema, strictly.
func jsonSchemaFormat(name, description string, schema map[string]any) *responseFormat {
	return &responseFormat{Type: "json_schema", JSONSchema: jsonSchema{Name: name, Description: description, Strict: true, Schema: schema}}
}

// object is a strict JSON schema object: every property required, no
// other property allowed.
func object(props map[string]any) map[string]any {
	required := make([]string, 0, len(props))
	for k := range props {
		required = append(required, k)
	}
	slices.Sort(required)
	return map[string]any{"type": "object", "properties": props, "required": required, "additionalProperties": false}
}

// decodeReply unmarshals a model's JSON reply into v. Local models
// sometimes wrap it in a Markdown code fence despite the schema; that is
// forgiven, anything else is malformed.
func decodeReply(content string, v any) error {
	s := strings.TrimSpace(content)
	if strings.HasPrefix(s, "```") {
		s = strings.TrimPrefix(s, "```json")
		s = strings.TrimPrefix(s, "```")
		s = strings.TrimSuffix(strings.TrimSpace(s), "```")
	}
	if err := json.Unmarshal([]byte(s), v); err != nil {
		return fmt.Errorf("%w: not the JSON asked for: %w", ErrMalformed, err)
	}
	return nil
}

// clip shortens s to at most n characters, on a word boundary when one is
// near, marking the cut.
func clip(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)[:n-1]
	cut := string(r)
	if i := strings.LastIndexByte(cut, ' '); i > len(cut)*3/4 {
		cut = cut[:i]
	}
	return cut + "…"
}

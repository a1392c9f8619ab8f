package llm

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// chatAPI posts chat completions to an OpenAI-compatible endpoint
// (OpenAI, Ollama, llama.cpp, vLLM…). It is the one request the client
// makes, so it is written here rather than taken from an SDK: that SDK
// added 26 MB to the binary and 7 MB to the server's resident memory.
type chatAPI struct {
	url    string // BaseURL/chat/completions
	apiKey string
	http   *http.Client
}

func newChatAPI(baseURL, apiKey string) *chatAPI {
	return &chatAPI{url: strings.TrimSuffix(baseURL, "/") + "/chat/completions", apiKey: apiKey, http: &http.Client{}}
}

// chatRequest is the body of a chat completion request.
type chatRequest struct {
	Model          string          `json:"model"`
	Messages       []chatMessage   `json:"messages"`
	ResponseFormat *responseFormat `json:"response_format,omitempty"`
}

type chatMessage struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

func systemMessage(text string) chatMessage { return chatMessage{Role: "system", Content: text} }
func userMessage(text string) chatMessage   { return chatMessage{Role: "user", Content: text} }

// responseFormat asks for structured output.
type responseFormat struct {
	Type       string     `json:"type"` // json_schema
	JSONSchema jsonSchema `json:"json_schema"`
}

type jsonSchema struct {
	Name        string         `json:"name"`
	Description string         `json:"description,omitempty"`
	Strict      bool           `json:"strict"`
	Schema      map[string]any `json:"schema"`
}

// chatResponse is the part of a chat completion the client reads.
type chatResponse struct {
	Choices []struct {
		Message struct {
			Content string `json:"content"`
			Refusal string `json:"refusal"`
		} `json:"message"`
	} `json:"choices"`
}

// maxReplyBytes bounds what is read of a reply: a grade is a few KB.
const maxReplyBytes = 4 << 20

// apiError is a reply with an HTTP error status. Response keeps the
// headers (Retry-After); its body is already read into Body.
type apiError struct {
	StatusCode int
	Response   *http.Response
	Body       string
}

func (e *apiError) Error() string {
	return fmt.Sprintf("HTTP %d: %.300s", e.StatusCode, strings.TrimSpace(e.Body))
}

// complete makes one request: an *apiError for an error status, the
// transport's error (a *url.Error) when there is no reply, and a decoding
// error for a 2xx body that is not a chat completion.
func (a *chatAPI) complete(ctx context.Context, req chatRequest) (chatResponse, error) {
	var out chatResponse
	body, err := json.Marshal(req)
	if err != nil {
		return out, fmt.Errorf("encode request: %w", err)
	}
	hreq, err := http.NewRequestWithContext(ctx, http.MethodPost, a.url, bytes.NewReader(body))
	if err != nil {
		return out, err
	}
	hreq.Header.Set("Content-Type", "application/json")
	hreq.Header.Set("Accept", "application/json")
	if a.apiKey != "" {
		hreq.Header.Set("Authorization", "Bearer "+a.apiKey)
	}
	res, err := a.http.Do(hreq)
	if err != nil {
		return out, err
	}
	defer res.Body.Close()
	reply, err := io.ReadAll(io.LimitReader(res.Body, maxReplyBytes))
	if err != nil {
		return out, err
	}
	if res.StatusCode < 200 || res.StatusCode > 299 {
		return out, &apiError{StatusCode: res.StatusCode, Response: res, Body: string(reply)}
	}
	if err := json.Unmarshal(reply, &out); err != nil {
		return out, fmt.Errorf("decode reply: %w", err)
	}
	return out, nil
}

package devconsole

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/paylastic/edge/core/telegram"
)

// Poll long-polls a real Telegram bot (getUpdates) and feeds every update to
// the product's webhook route in process, so a developer can use a real bot
// from a laptop with no public webhook URL. Telegram refuses getUpdates while
// a webhook is set, so Poll removes the webhook first (set it again with
// `paylastic telegram-webhook` when done). An empty apiURL means Telegram's
// own (telegram.DefaultAPIURL), as for the product: TELEGRAM_API_URL is
// usually unset with a real bot. It returns when ctx ends.
func Poll(ctx context.Context, apiURL, token, secret string, product http.Handler, base string, log *slog.Logger) error {
	// longer than getUpdates' 50 s long poll, so a quiet bot is no error
	return poll(ctx, &http.Client{Timeout: 70 * time.Second}, apiURL, token, secret, product, base, log)
}

// poll is Poll over client, which tests replace to see what would be called.
func poll(ctx context.Context, client *http.Client, apiURL, token, secret string, product http.Handler, base string, log *slog.Logger) error {
	if apiURL == "" {
		apiURL = telegram.DefaultAPIURL
	}
	api := strings.TrimRight(apiURL, "/") + "/bot" + token + "/"
	call := func(method string, params any, out any) error {
		b, _ := json.Marshal(params)
		req, err := http.NewRequestWithContext(ctx, "POST", api+method, bytes.NewReader(b))
		if err != nil {
			return fmt.Errorf("%s: %s", method, redact(err, token)) // a bad URL is quoted too
		}
		req.Header.Set("Content-Type", "application/json")
		resp, err := client.Do(req)
		if err != nil {
			// net/http quotes the URL, which holds the bot token: never log it
			return fmt.Errorf("%s: %s", method, redact(err, token))
		}
		defer resp.Body.Close()
		var env struct {
			OK          bool            `json:"ok"`
			Description string          `json:"description"`
			Result      json.RawMessage `json:"result"`
		}
		if err := json.NewDecoder(resp.Body).Decode(&env); err != nil {
			return fmt.Errorf("%s: decode: %w", method, err)
		}
		if !env.OK {
			return fmt.Errorf("%s: %s", method, env.Description)
		}
		if out != nil {
			return json.Unmarshal(env.Result, out)
		}
		return nil
	}
	if err := call("deleteWebhook", map[string]any{}, nil); err != nil {
		return fmt.Errorf("telegram poll: %w", err)
	}
	log.Info("long-polling Telegram; the webhook was removed")
	var offset int64
	for ctx.Err() == nil {
		var updates []json.RawMessage
		err := call("getUpdates", map[string]any{"offset": offset, "timeout": 50, "allowed_updates": []string{"message", "callback_query"}}, &updates)
		if err != nil {
			if ctx.Err() != nil {
				break
			}
			log.Warn("getUpdates", "err", err)
			select { // back off, but stop at once on Ctrl-C
			case <-ctx.Done():
			case <-time.After(3 * time.Second):
			}
			continue
		}
		for _, u := range updates {
			var id struct {
				UpdateID int64 `json:"update_id"`
			}
			_ = json.Unmarshal(u, &id)
			status := feed(ctx, product, base, secret, u)
			if status >= 500 {
				log.Warn("the product failed an update; it will be offered again", "update_id", id.UpdateID, "status", status)
				select { // do not move past it: Telegram redelivers, as with a webhook
				case <-ctx.Done():
				case <-time.After(time.Second):
				}
				break
			}
			offset = id.UpdateID + 1
		}
	}
	return nil
}

// redact is err's text without the bot token. The error is flattened on
// purpose: wrapping would keep the token reachable through errors.Unwrap.
func redact(err error, token string) string {
	if token == "" {
		return err.Error()
	}
	return strings.ReplaceAll(err.Error(), token, "<token>")
}

func feed(ctx context.Context, product http.Handler, base, secret string, update []byte) int {
	req, err := http.NewRequestWithContext(ctx, "POST", base+"/telegram/webhook", bytes.NewReader(update))
	if err != nil {
		return 500
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Telegram-Bot-Api-Secret-Token", secret)
	resp, err := (&http.Client{Transport: transport{product}}).Do(req)
	if err != nil {
		return 500
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

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
)

// Poll long-polls a real Telegram bot (getUpdates) and feeds every update to
// the product's webhook route in process, so a developer can use a real bot
// from a laptop with no public webhook URL. Telegram refuses getUpdates while
// a webhook is set, so Poll removes the webhook first (set it again with
// `paylastic telegram-webhook` when done). It returns when ctx ends.
func Poll(ctx context.Context, apiURL, token, secret string, product http.Handler, base string, log *slog.Logger) error {
	api := strings.TrimRight(apiURL, "/") + "/bot" + token + "/"
	client := &http.Client{Timeout: 70 * time.Second}
	call := func(method string, params any, out any) error {
		b, _ := json.Marshal(params)
		req, err := http.NewRequestWithContext(ctx, "POST", api+method, bytes.NewReader(b))
		if err != nil {
			return err
		}
		req.Header.Set("Content-Type", "application/json")
		resp, err := client.Do(req)
		if err != nil {
			// net/http quotes the URL, which holds the bot token: never log it
			return fmt.Errorf("%s: %s", method, strings.ReplaceAll(err.Error(), token, "<token>"))
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
			time.Sleep(3 * time.Second)
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

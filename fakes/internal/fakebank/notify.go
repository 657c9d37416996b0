package fakebank

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"sync"
)

// maxAnswer bounds how much of a merchant's answer to a notification is
// read: the fake only needs its status code.
const maxAnswer = 1 << 16

// Send POSTs body to url with header (the bank's content type and
// signature) up to tries times, until the receiver answers 200 OK. It
// returns the POSTs made and the last one's status code, or 0 and the
// transport error's text when it got no answer. Retries follow at once: a
// fake does not wait as the real banks do.
func Send(ctx context.Context, client *http.Client, tries int, url string, body []byte, header http.Header) (attempts, code int, errText string) {
	for attempts < tries {
		attempts++
		if code, errText = post(ctx, client, url, body, header); code == http.StatusOK {
			break
		}
	}
	return attempts, code, errText
}

func post(ctx context.Context, client *http.Client, url string, body []byte, header http.Header) (int, string) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return 0, err.Error()
	}
	for k, vs := range header {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, err.Error()
	}
	// Drained, so that the connection can be used again.
	io.Copy(io.Discard, io.LimitReader(resp.Body, maxAnswer))
	resp.Body.Close()
	return resp.StatusCode, ""
}

// Background delivers each of ds that is not nil with deliver, in a
// goroutine of its own, counted in wg so that the fake's Wait can wait for
// it. A fake calls it before it writes the answer that caused ds, so that a
// Wait after the answer waits for them.
func Background[D any](wg *sync.WaitGroup, deliver func(context.Context, *D), ds ...*D) {
	for _, d := range ds {
		if d == nil {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			deliver(context.Background(), d)
		}()
	}
}

// Deliver delivers each of ds that is not nil with deliver, one after the
// other, and returns once all were answered.
func Deliver[D any](deliver func(context.Context, *D), ds ...*D) {
	for _, d := range ds {
		if d != nil {
			deliver(context.Background(), d)
		}
	}
}

// Resend sends again, at once, a notification a fake sent before (its
// Resend and SendStale): requeue finds it and queues it under mu, the
// fake's lock, or says why it cannot; deliver then sends it. Resend returns
// once the receiver has answered.
func Resend[D any](mu *sync.Mutex, requeue func() (*D, error), deliver func(context.Context, *D)) error {
	mu.Lock()
	d, err := requeue()
	mu.Unlock()
	if err != nil {
		return err
	}
	deliver(context.Background(), d)
	return nil
}

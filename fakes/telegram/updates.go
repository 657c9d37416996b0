package telegram

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"
)

const (
	maxUpdates = 10_000
	// MaxPollTimeout bounds the timeout of getUpdates: a long poll answers
	// with no updates after at most this long, whatever timeout asked for.
	MaxPollTimeout = 2 * time.Second
)

// queuedUpdate is an Update waiting for getUpdates.
type queuedUpdate struct {
	id  int64
	raw json.RawMessage
	typ string // the field besides update_id: "message", "callback_query"…
}

// Enqueue queues an Update object (https://core.telegram.org/bots/api#update)
// for getUpdates and returns its update_id. An update without update_id gets
// the next one, starting at 1. It fails if update is not a JSON object or its
// update_id is not an integer. The queue keeps the newest 10 000 updates.
func (s *Server) Enqueue(update json.RawMessage) (int64, error) {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(update, &fields); err != nil {
		return 0, fmt.Errorf("enqueue update: %w", err)
	}
	if fields == nil {
		return 0, errors.New("enqueue update: not a JSON object")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var id int64
	if raw, ok := fields["update_id"]; ok {
		if err := json.Unmarshal(raw, &id); err != nil {
			return 0, fmt.Errorf("enqueue update: update_id: %w", err)
		}
	} else {
		id = s.nextUpdateID
		fields["update_id"] = json.RawMessage(fmt.Sprint(id))
		update = marshal(fields)
	}
	s.nextUpdateID = max(s.nextUpdateID, id+1)
	q := queuedUpdate{id: id, raw: append(json.RawMessage(nil), update...)}
	for k := range fields {
		if k != "update_id" {
			q.typ = k
		}
	}
	s.updates = append(s.updates, q)
	if len(s.updates) > maxUpdates {
		s.updates = slices.Clone(s.updates[len(s.updates)-maxUpdates:])
	}
	s.notifyLocked()
	return id, nil
}

// getUpdates implements https://core.telegram.org/bots/api#getupdates:
// offset confirms (forgets) every update with a smaller id, a negative offset
// keeps only the last -offset updates; limit is 1-100 (default 100); timeout
// is in seconds, capped at MaxPollTimeout. allowed_updates, once given,
// filters the updates returned. While a webhook is set it answers 409.
func (s *Server) getUpdates(c *call) (any, *apiError) {
	offset, _ := c.params.integer("offset")
	limit, ok := c.params.integer("limit")
	if !ok || limit <= 0 || limit > 100 {
		limit = 100
	}
	secs, _ := c.params.integer("timeout")
	wait := min(time.Duration(max(secs, 0))*time.Second, MaxPollTimeout)
	allowed, given, aerr := allowedUpdates(c.params)
	if aerr != nil {
		return nil, aerr
	}
	deadline := time.NewTimer(wait)
	defer deadline.Stop()
	for {
		s.mu.Lock()
		if s.webhook.URL != "" {
			s.mu.Unlock()
			return nil, errWebhookActive
		}
		if given {
			s.pollAllowed, given = allowed, false
		}
		out := s.pendingLocked(offset, int(limit))
		changed := s.changed
		s.mu.Unlock()
		if len(out) > 0 || wait == 0 {
			return out, nil
		}
		select {
		case <-changed:
		case <-deadline.C:
			return out, nil
		case <-c.ctx.Done():
			return out, nil
		}
	}
}

// pendingLocked applies offset to the queue and returns up to limit updates.
func (s *Server) pendingLocked(offset int64, limit int) []json.RawMessage {
	switch {
	case offset < 0:
		if keep := int(-offset); len(s.updates) > keep {
			s.updates = slices.Clone(s.updates[len(s.updates)-keep:])
		}
	case offset > 0:
		s.updates = slices.DeleteFunc(s.updates, func(u queuedUpdate) bool { return u.id < offset })
	}
	out := []json.RawMessage{}
	for _, u := range s.updates {
		if len(out) == limit {
			break
		}
		if len(s.pollAllowed) == 0 || slices.Contains(s.pollAllowed, u.typ) {
			out = append(out, u.raw)
		}
	}
	return out
}

package checks

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/paylastic/edge/core/check"
)

// backoff is implemented by a messenger's errors that ask the sender to
// slow down (Telegram's 429 with retry_after, Viber's HTTP 429): Backoff
// says how long, zero for any other error. Declared here so that checks
// needs no messenger package.
type backoff interface{ Backoff() time.Duration }

// errHeld is wrapped by the error of a notice the pass did not send.
var errHeld = errors.New("held for the next pass: the messenger asked to slow down")

// throttle is the scheduled pass's Notifier. Once a messenger answers with
// flood control, every further notice to that messenger in the pass is held
// (it stays pending) instead of sent: hammering a rate-limited API only
// prolongs the limit, and the next pass comes soon enough. Other
// messengers are not held. A pass runs its checks one after another, so
// the throttle needs no lock.
type throttle struct {
	next Notifier
	log  *slog.Logger
	wait map[string]time.Duration // by check.Chat.Messenger
	held int
}

func (t *throttle) Notify(ctx context.Context, chk check.Check, n check.Notice) error {
	m := chk.Chat.Messenger
	if d, ok := t.wait[m]; ok {
		t.held++
		return fmt.Errorf("notify %s %s on %s (retry after %s): %w", chk.ID, n.Key(), m, d, errHeld)
	}
	err := t.next.Notify(ctx, chk, n)
	var b backoff
	if errors.As(err, &b) && b.Backoff() > 0 {
		if t.wait == nil {
			t.wait = map[string]time.Duration{}
		}
		t.wait[m] = b.Backoff()
		t.log.Warn("sweep: messenger flood control, holding its notices until the next pass", "messenger", m, "retry_after", b.Backoff())
	}
	return err
}

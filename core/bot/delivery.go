package bot

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/paylastic/edge/core/errs"
	"github.com/paylastic/edge/core/httpx"
	"github.com/paylastic/edge/core/once"
)

// AnswerUndelivered answers a messenger's webhook delivery whose handling
// (Once) ended in err, the same for every messenger: a reply the messenger
// refused for good is dropped with 200 (delivering the event again would
// be refused again); a duplicate of an event another request is handling
// gets 503 busy, and is not a failure; anything else is 503, so that the
// messenger delivers the event again. what names the delivery in the logs
// ("telegram update"), idKey and id say which one.
func AnswerUndelivered(w http.ResponseWriter, log *slog.Logger, err error, what, idKey string, id any) {
	switch {
	case Permanent(err):
		log.Error(what+" dropped: reply refused", idKey, id, "err", err)
		w.WriteHeader(http.StatusOK)
	case errors.Is(err, once.ErrBusy):
		log.Info(what+" being handled by another request", idKey, id)
		httpx.Busy(w)
	default:
		httpx.Error(w, log, errs.Wrap(errs.Unavailable, fmt.Errorf("%s %v: %w", what, id, err), "try again later"))
	}
}

package kv

import (
	"errors"

	"github.com/paylastic/edge/core/errs"
)

// Explain turns a store's error into the product's: a missing key is
// errs.NotFound with notFound as its message, any other failure
// errs.Storage (Unavailable). nil stays nil.
func Explain(err error, notFound string) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, ErrNotFound):
		return errs.E(errs.NotFound, "%s", notFound)
	}
	return errs.Storage(err)
}

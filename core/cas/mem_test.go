package cas_test

import (
	"testing"
	"time"

	"github.com/paylastic/edge/core/cas"
	"github.com/paylastic/edge/core/cas/castest"
)

func TestMemConformance(t *testing.T) {
	castest.Run(t, func(t *testing.T, now func() time.Time) cas.Store { return cas.NewMem(now) })
}

package merchant

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/paylastic/edge/core/cas"
	"github.com/paylastic/edge/core/errs"
)

// Members lists everyone who was ever an operator of the merchant, as
// their bindings say now: removed ones and those bound since to another
// merchant too (Operators leaves them out). Their checks stay the
// merchant's, and an export of an old month must find them; membership
// keys are written once and never deleted. Order: by messenger and user.
func (s Store) Members(ctx context.Context, merchant string) ([]Operator, error) {
	prefix := "mo:" + merchant + ":"
	var out []Operator
	after := ""
	for {
		items, err := s.DB.List(ctx, prefix, after, cas.MaxList)
		if err != nil {
			return nil, errs.Storage(fmt.Errorf("list members: %w", err))
		}
		keys := make([]string, len(items))
		users := make([][2]string, len(items))
		for i, it := range items {
			messenger, user, _ := strings.Cut(strings.TrimPrefix(it.Key, prefix), ":")
			keys[i], users[i] = operatorKey(messenger, user), [2]string{messenger, user}
			after = it.Key
		}
		recs, err := s.DB.GetMany(ctx, keys)
		if err != nil {
			return nil, errs.Storage(fmt.Errorf("read members: %w", err))
		}
		for i, k := range keys {
			op := Operator{Merchant: merchant, Messenger: users[i][0], UserID: users[i][1]}
			if r, ok := recs[k]; ok {
				if err := json.Unmarshal(r.Value, &op); err != nil {
					return nil, fmt.Errorf("operator record: %w", err)
				}
			}
			out = append(out, op)
		}
		if len(items) < cas.MaxList {
			return out, nil
		}
	}
}

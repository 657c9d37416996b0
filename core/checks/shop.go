package checks

import (
	"context"
	"sort"
	"time"

	"github.com/paylastic/edge/core/merchant"
)

// ShopSummary is a check of a shop with the operator who made it.
type ShopSummary struct {
	Summary
	By merchant.Operator
}

// ShopRecent returns the checks every operator of the merchant (removed
// ones too: their checks stay the shop's) created on the given UTC days,
// newest first, at most limit per operator. It needs no index of its own:
// check keys are listed per operator and day already, and a shop has a
// handful of operators, so it costs one consistent-store list of the staff
// and, per operator, what Recent costs; no writes.
func (s *Service) ShopRecent(ctx context.Context, merchantID string, days []time.Time, limit int) ([]ShopSummary, error) {
	staff, err := s.Merchants.Members(ctx, merchantID)
	if err != nil {
		return nil, err
	}
	var out []ShopSummary
	for _, op := range staff {
		sums, err := s.Recent(ctx, op, days, limit)
		if err != nil {
			return nil, err
		}
		for _, sm := range sums {
			if sm.Check.Merchant == merchantID { // bound to this shop again after another
				out = append(out, ShopSummary{Summary: sm, By: op})
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Check.Created.After(out[j].Check.Created) })
	return out, nil
}

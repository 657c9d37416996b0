package checks

import (
	"testing"
	"time"

	"github.com/paylastic/edge/core/check"
)

func TestCheckKeyIsSprintfs(t *testing.T) {
	kyiv := time.FixedZone("Kyiv", 2*60*60)
	at := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	refs := []check.Ref{
		{ID: "c1", Operator: "a1b2c3", Created: at("2026-12-06T07:00:00Z"), Expires: at("2026-12-07T07:00:00Z")},
		// just after midnight in Kyiv, still the day before in UTC: the key's day is UTC's
		{ID: "c2", Operator: "Zz9_-", Created: at("2027-01-01T00:30:00+02:00").In(kyiv), Expires: at("2027-01-01T00:00:00Z")},
		{ID: "", Operator: "", Created: at("2001-01-01T00:00:00Z"), Expires: time.Unix(5, 0)},
		{ID: "x", Operator: "op", Created: at("1970-01-01T00:00:00Z"), Expires: time.Unix(0, 0)},
		{ID: "big", Operator: "op", Created: at("9999-12-31T23:59:59Z"), Expires: time.Unix(99999999999, 0)},
		// outside the fast path: the Sprintf form itself
		{ID: "neg", Operator: "op", Created: at("2026-01-02T00:00:00Z"), Expires: time.Unix(-5, 0)},
		{ID: "old", Operator: "op", Created: time.Date(999, 3, 4, 0, 0, 0, 0, time.UTC), Expires: time.Unix(7, 0)},
		{ID: "zero", Operator: "op"},
	}
	for _, r := range refs {
		if got, want := CheckKey(r), checkKeyf(r); got != want {
			t.Errorf("CheckKey(%+v) = %q, want %q", r, got, want)
		}
	}
	k := CheckKey(refs[0])
	if k != "i:20261206:a1b2c3:1796626800:c1" {
		t.Errorf("CheckKey = %q", k)
	}
	if pk, ok := parseCheckKey(CheckKey(refs[1])); !ok || pk.ID != "c2" || pk.Day.Format("20060102") != "20261231" || !pk.Expires.Equal(refs[1].Expires) {
		t.Errorf("parseCheckKey(CheckKey) = %+v, %v", pk, ok)
	}
}

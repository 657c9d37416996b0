package merchant

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/paylastic/edge/core/cas"
	"github.com/paylastic/edge/core/check"
	"github.com/paylastic/edge/core/errs"
	"github.com/paylastic/edge/core/ids"
	"github.com/paylastic/edge/core/internal/jsonmemo"
	"github.com/paylastic/edge/core/kv"
	"github.com/paylastic/edge/core/money"
)

// Store keeps merchants in the consistent store. Keys:
//
//	m:{id}                              merchant
//	mn:{folded name}\x1f{id}            the merchants by name, for the admin's list
//	op:{messenger}:{user}               operator binding (kept when removed)
//	mo:{merchant}:{messenger}:{user}    the merchant's operators, for lists
//	ac:{sha256(code)}                   activation code (hashed; marked used)
//	thr:{messenger}:{user}              wrong codes typed (bot.activate)
//
// The op: record is the truth about an operator; an mo: or mn: entry may
// outlive what it points to (an operator removed, a merchant renamed) and
// is checked against it when listed.
type Store struct {
	DB     cas.Store
	Now    func() time.Time
	Rand   io.Reader
	Secret []byte // keys code hashes and operator keys (from LINK_SECRET)
	// DefaultProvider is the bank of a new merchant: "sandbox" where the
	// sandbox bank is on, otherwise "" (no bank until the admin sets one).
	DefaultProvider string
	// KV, when set, holds merchants, operators and codes from before the
	// consistent store (an upgraded deployment): one not found in DB is
	// looked up there and moved over.
	KV kv.Store
	// Decoded, when set, remembers what merchant and operator records
	// decoded to (NewDecoded): every message of a shop reads the same
	// merchant record and the same cashier's binding.
	Decoded *Decoded
}

// Decoded remembers decoded merchant and operator records by their bytes
// (package jsonmemo); one per process, shared by the requests.
type Decoded struct {
	merchants jsonmemo.Memo[Merchant]
	operators jsonmemo.Memo[Operator]
}

// NewDecoded is an empty Decoded.
func NewDecoded() *Decoded {
	return &Decoded{merchants: jsonmemo.Memo[Merchant]{Clone: cloneMerchant}}
}

// cloneMerchant copies what a Merchant shares: its credentials and its
// bank error (TestDecodedMerchantsShareNothing lists the fields).
func cloneMerchant(m Merchant) Merchant {
	if m.Credentials != nil {
		m.Credentials = bytes.Clone(m.Credentials)
	}
	if m.BankError != nil {
		e := *m.BankError
		m.BankError = &e
	}
	return m
}

// maxTries bounds how often a write reads again after losing a race.
const maxTries = 8

// MaxNameRunes is the longest merchant name.
const MaxNameRunes = 100

// CleanName trims a merchant name and checks it: errs.Invalid if it is
// empty, too long, not UTF-8, holds control characters or U+FFFD (what
// a JSON escape of half a surrogate pair decodes to: never typed on purpose).
func CleanName(name string) (string, error) {
	if !utf8.ValidString(name) {
		return "", errs.E(errs.Invalid, "name is not valid UTF-8")
	}
	name = strings.TrimSpace(name)
	switch {
	case name == "":
		return "", errs.E(errs.Invalid, "name is required")
	case utf8.RuneCountInString(name) > MaxNameRunes:
		return "", errs.E(errs.Invalid, "name is longer than %d characters", MaxNameRunes)
	case strings.IndexFunc(name, unicode.IsControl) >= 0:
		return "", errs.E(errs.Invalid, "name holds control characters")
	case strings.ContainsRune(name, utf8.RuneError):
		return "", errs.E(errs.Invalid, "name holds U+FFFD: an encoding error, not a character")
	}
	return name, nil
}

// Create registers a merchant and issues its first activation code, for
// its owner.
func (s Store) Create(ctx context.Context, name string, max money.Amount) (Merchant, string, error) {
	name, err := CleanName(name)
	if err != nil {
		return Merchant{}, "", err
	}
	if max == 0 {
		max = DefaultMaxAmount
	}
	if max < 0 || max > money.MaxAmount {
		return Merchant{}, "", errs.E(errs.Invalid, "max_amount must be between 0.01 and %s", money.MaxAmount.Decimal())
	}
	id, err := ids.Random(s.Rand, check.MerchantBytes)
	if err != nil {
		return Merchant{}, "", fmt.Errorf("create merchant: %w", err)
	}
	m := Merchant{ID: id, Name: name, MaxAmount: max, Provider: s.DefaultProvider, Created: s.Now().UTC()}
	if _, err := s.put(ctx, merchantKey(id), m, 0, time.Time{}); err != nil {
		return Merchant{}, "", fmt.Errorf("create merchant: %w", err)
	}
	if err := s.indexName(ctx, m); err != nil {
		return Merchant{}, "", err
	}
	code, _, err := s.IssueCode(ctx, m.ID, Owner)
	if err != nil {
		return Merchant{}, "", err
	}
	return m, code, nil
}

// Get returns the merchant with id, errs.NotFound if there is none.
func (s Store) Get(ctx context.Context, id string) (Merchant, error) {
	m, _, err := s.load(ctx, id)
	return m, err
}

// load reads a merchant and its version.
func (s Store) load(ctx context.Context, id string) (Merchant, int64, error) {
	var m Merchant
	if _, err := ids.Decode(id, check.MerchantBytes); err != nil {
		return m, 0, errs.E(errs.NotFound, "no such merchant")
	}
	v, err := s.get(ctx, merchantKey(id), &m)
	if errors.Is(err, cas.ErrNotFound) {
		if m, v, err = s.moveMerchant(ctx, id); err == nil {
			return m, v, nil
		}
	}
	if errors.Is(err, cas.ErrNotFound) {
		return m, 0, errs.E(errs.NotFound, "no such merchant")
	}
	return m, v, err
}

// Update changes the merchant with id by change, in one conditional write
// (read again if another write came first), and returns it as stored. An
// error from change is returned as it is, and nothing is written.
func (s Store) Update(ctx context.Context, id string, change func(m *Merchant) error) (Merchant, error) {
	for range maxTries {
		m, v, err := s.load(ctx, id)
		if err != nil {
			return m, err
		}
		oldName := m.Name
		if err := change(&m); err != nil {
			return m, err
		}
		m.ID = id
		if m.Name, err = CleanName(m.Name); err != nil {
			return m, err
		}
		if _, err := s.put(ctx, merchantKey(id), m, v, time.Time{}); errors.Is(err, cas.ErrConflict) {
			continue
		} else if err != nil {
			return m, err
		}
		if m.Name != oldName {
			if err := s.indexName(ctx, m); err != nil {
				return m, err
			}
		}
		return m, nil
	}
	return Merchant{}, errs.Storage(fmt.Errorf("update merchant %s: %d writes came first", id, maxTries))
}

// Page is one page of a list and the cursor of the next ("" when none).
type Page[T any] struct {
	Items []T
	Next  string
}

// List returns merchants whose names begin with prefix (case and accents
// as typed; any case), in name order, limit at most cas.MaxList, from the
// cursor a previous page gave.
func (s Store) List(ctx context.Context, prefix, cursor string, limit int) (Page[Merchant], error) {
	if limit <= 0 || limit > cas.MaxList {
		limit = cas.MaxList
	}
	p := "mn:" + fold(prefix)
	if prefix == "" {
		p = "mn:"
	}
	if cursor != "" && !strings.HasPrefix(cursor, p) {
		return Page[Merchant]{}, errs.E(errs.Invalid, "cursor is not of this list")
	}
	var out Page[Merchant]
	for len(out.Items) < limit {
		// prefix may end in any character; list from its ASCII start
		items, err := s.DB.List(ctx, asciiPrefix(p), max(cursor, p), limit)
		if err != nil {
			return out, errs.Storage(fmt.Errorf("list merchants: %w", err))
		}
		var keys []string
		for _, it := range items {
			if strings.HasPrefix(it.Key, p) {
				keys = append(keys, it.Key)
			}
		}
		ms, err := s.getMany(ctx, keys)
		if err != nil {
			return out, err
		}
		for _, k := range keys {
			cursor = k
			name, id, _ := strings.Cut(strings.TrimPrefix(k, "mn:"), nameSep)
			if m, ok := ms[id]; ok && fold(m.Name) == name {
				out.Items = append(out.Items, m)
				if len(out.Items) == limit {
					out.Next = k
					return out, nil
				}
			}
		}
		if len(items) < limit || len(keys) < len(items) {
			return out, nil
		}
	}
	return out, nil
}

// nameSep ends a folded name in an mn: key: below every character a name
// may hold (control characters are refused), so names sort as names.
const nameSep = "\x1f"

func (s Store) indexName(ctx context.Context, m Merchant) error {
	_, err := s.DB.Put(ctx, "mn:"+fold(m.Name)+nameSep+m.ID, []byte{}, 0, time.Time{})
	if err != nil && !errors.Is(err, cas.ErrConflict) { // indexed already: a rename back
		return errs.Storage(fmt.Errorf("index merchant %s: %w", m.ID, err))
	}
	return nil
}

// fold is a name as the list sorts and matches it: lower case.
func fold(name string) string { return strings.ToLower(name) }

// asciiPrefix is the longest prefix of p ending in an ASCII character (what
// cas.Store.List takes).
func asciiPrefix(p string) string {
	for len(p) > 0 && p[len(p)-1] >= 0x7f {
		p = p[:len(p)-1]
	}
	return p
}

func (s Store) getMany(ctx context.Context, keys []string) (map[string]Merchant, error) {
	ids := make([]string, 0, len(keys))
	for _, k := range keys {
		_, id, _ := strings.Cut(strings.TrimPrefix(k, "mn:"), nameSep)
		ids = append(ids, merchantKey(id))
	}
	recs, err := s.DB.GetMany(ctx, ids)
	if err != nil {
		return nil, errs.Storage(fmt.Errorf("read merchants: %w", err))
	}
	out := make(map[string]Merchant, len(recs))
	for _, r := range recs {
		var m Merchant
		if err := json.Unmarshal(r.Value, &m); err != nil {
			return nil, fmt.Errorf("merchant record: %w", err)
		}
		out[m.ID] = m
	}
	return out, nil
}

func merchantKey(id string) string { return "m:" + id }

// get reads the JSON record at key into v and returns its version;
// cas.ErrNotFound (unwrapped for errors.Is) if there is none.
func (s Store) get(ctx context.Context, key string, v any) (int64, error) {
	rec, err := s.DB.Get(ctx, key)
	if errors.Is(err, cas.ErrNotFound) {
		return 0, err
	}
	if err != nil {
		return 0, errs.Storage(fmt.Errorf("read %.20s: %w", key, err))
	}
	if err := s.decode(rec.Value, v); err != nil {
		return 0, fmt.Errorf("record %.20s: %w", key, err)
	}
	return rec.Version, nil
}

// decode is json.Unmarshal of a record into v, which is zero; merchants
// and operators through Decoded when it is set.
func (s Store) decode(b []byte, v any) error {
	if s.Decoded != nil {
		var err error
		switch p := v.(type) {
		case *Merchant:
			*p, err = s.Decoded.merchants.Decode(b)
			return err
		case *Operator:
			*p, err = s.Decoded.operators.Decode(b)
			return err
		}
	}
	return json.Unmarshal(b, v)
}

// put writes v as JSON at key if its version is still version; a lost race
// is cas.ErrConflict, unwrapped.
func (s Store) put(ctx context.Context, key string, v any, version int64, expires time.Time) (int64, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return 0, fmt.Errorf("record %.20s: %w", key, err)
	}
	n, err := s.DB.Put(ctx, key, b, version, expires)
	if err != nil && !errors.Is(err, cas.ErrConflict) {
		return 0, errs.Storage(fmt.Errorf("write %.20s: %w", key, err))
	}
	return n, err
}

// sortOperators orders operators for lists: owners first, then by name.
func sortOperators(ops []Operator) {
	sort.SliceStable(ops, func(i, j int) bool {
		if ops[i].IsOwner() != ops[j].IsOwner() {
			return ops[i].IsOwner()
		}
		return ops[i].Activated.Before(ops[j].Activated)
	})
}

package check

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"strings"
	"time"

	"github.com/paylastic/edge/core/ids"
	"github.com/paylastic/edge/core/money"
)

// Ref is what a payment link carries: everything the payment page needs, so a
// link works the moment it is issued, from any location, before KV has
// propagated (invariant 1, docs/invariants.md). It is signed with LINK_SECRET, not encrypted: it
// holds nothing the buyer may not see.
type Ref struct {
	ID       string
	Merchant string
	Operator string
	Amount   money.Amount
	Created  time.Time // whole seconds
	Expires  time.Time // whole seconds
}

// Sizes of the ids a Ref carries, in bytes.
const (
	MerchantBytes = 8
	OperatorBytes = 8
	macBytes      = 16 // 128-bit truncated HMAC-SHA256
	refVersion    = 1
)

// ErrBadRef is returned for a token that is malformed or not ours. It says
// nothing more, so that a forger learns nothing.
var ErrBadRef = errors.New("check: bad token")

// Signer encodes and checks Refs with a secret key.
type Signer struct{ key []byte }

// NewSigner returns a Signer keyed by secret (LINK_SECRET).
func NewSigner(secret string) Signer {
	k := sha256.Sum256([]byte("paylastic link v1\x00" + secret))
	return Signer{key: k[:]}
}

// Key returns the signer's derived key, for other derivations (ids.Derive).
func (s Signer) Key() []byte { return s.key }

// Encode returns the check's token: r signed, URL-safe, about 80
// characters. The link is PageURL of it.
func (s Signer) Encode(r Ref) (string, error) {
	id, err := ids.Decode(r.ID, IDBytes)
	if err != nil {
		return "", err
	}
	m, err := ids.Decode(r.Merchant, MerchantBytes)
	if err != nil {
		return "", err
	}
	op, err := ids.Decode(r.Operator, OperatorBytes)
	if err != nil {
		return "", err
	}
	b := make([]byte, 0, 1+IDBytes+MerchantBytes+OperatorBytes+8+binary.MaxVarintLen64+macBytes)
	b = append(b, refVersion)
	b = append(b, id...)
	b = append(b, m...)
	b = append(b, op...)
	b = binary.BigEndian.AppendUint32(b, uint32(r.Created.Unix()))
	b = binary.BigEndian.AppendUint32(b, uint32(r.Expires.Unix()))
	b = binary.AppendUvarint(b, uint64(r.Amount))
	b = append(b, s.mac(b)...)
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// Decode checks the signature of a token and returns what it carries, or
// ErrBadRef.
func (s Signer) Decode(token string) (Ref, error) {
	if len(token) > 200 {
		return Ref{}, ErrBadRef
	}
	// Strict: a lenient decoder ignores the spare bits of the last
	// character, so four spellings of a token would name one check; and
	// even a strict one skips CR and LF (FuzzDecodeToken found a link with
	// %0A in it that named the same check).
	if strings.ContainsAny(token, "\r\n") {
		return Ref{}, ErrBadRef
	}
	b, err := base64.RawURLEncoding.Strict().DecodeString(token)
	const fixed = 1 + IDBytes + MerchantBytes + OperatorBytes + 8
	if err != nil || len(b) < fixed+1+macBytes || b[0] != refVersion {
		return Ref{}, ErrBadRef
	}
	body, mac := b[:len(b)-macBytes], b[len(b)-macBytes:]
	if !hmac.Equal(mac, s.mac(body)) {
		return Ref{}, ErrBadRef
	}
	amount, n := binary.Uvarint(body[fixed:])
	if n <= 0 || fixed+n != len(body) || amount == 0 || amount > uint64(money.MaxAmount) {
		return Ref{}, ErrBadRef
	}
	p := 1
	r := Ref{ID: ids.Encode(body[p : p+IDBytes])}
	p += IDBytes
	r.Merchant = ids.Encode(body[p : p+MerchantBytes])
	p += MerchantBytes
	r.Operator = ids.Encode(body[p : p+OperatorBytes])
	p += OperatorBytes
	r.Created = time.Unix(int64(binary.BigEndian.Uint32(body[p:])), 0).UTC()
	r.Expires = time.Unix(int64(binary.BigEndian.Uint32(body[p+4:])), 0).UTC()
	r.Amount = money.Amount(amount)
	return r, nil
}

func (s Signer) mac(b []byte) []byte {
	m := hmac.New(sha256.New, s.key)
	m.Write(b)
	return m.Sum(nil)[:macBytes]
}

// PageURL is a check's link: the address of its payment page,
// {PUBLIC_BASE_URL}/p/{token}, which the QR code encodes.
func PageURL(baseURL, token string) string { return baseURL + "/p/" + token }

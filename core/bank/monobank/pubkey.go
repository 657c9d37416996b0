package monobank

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/paylastic/edge/core/bank/monobank/sign"
	"github.com/paylastic/edge/core/errs"
	"github.com/paylastic/edge/core/kv"
)

// PubkeyPrefix is the prefix of the KV keys that cache the webhook public
// key of each token: mono:pubkey:{hash of the token}. The token itself is
// never a key or a value.
const PubkeyPrefix = "mono:pubkey:"

// pubkeyTTL is how long a cached key lives without a failed verification.
// The docs say to keep the key until verification with it stops working; the
// TTL only lets keys of tokens no longer used go away.
const pubkeyTTL = 30 * 24 * time.Hour

// RefetchAfter is how long a cached public key is trusted before a
// signature it does not verify makes us fetch the key again: monobank
// rotates keys rarely, and anyone with a link can post a forged webhook, so
// forgeries must not cost a call to the bank each: at most one fetch and
// one KV write (the refreshed cache) per hour and token.
const RefetchAfter = time.Hour

// cachedKey is the KV value: the key as GET /api/merchant/pubkey served it.
type cachedKey struct {
	Key     string    `json:"key"`
	Fetched time.Time `json:"fetched"`
}

// PubkeyKey is the KV key of the public key cached for token.
func PubkeyKey(token string) string {
	h := sha256.Sum256([]byte("paylastic monobank pubkey\x00" + token))
	return PubkeyPrefix + hex.EncodeToString(h[:16])
}

// verify checks xSign over body with the token's public key: the cached one,
// and when it does not verify and was fetched more than RefetchAfter ago,
// once more with a key fetched anew (monobank may have rotated it). A
// webhook signed with a key rotated within the hour is refused; its payment
// is still found, as the scheduled pass asks the bank about attempts whose
// callback did not come. A signature that verifies with neither key is
// errs.Unauthorized; a key that cannot be had is errs.Unavailable, so the
// bank retries later.
func (b *Bank) verify(ctx context.Context, token string, body []byte, xSign string) error {
	if !plausibleSignature(xSign) {
		// nothing to verify: no reason to ask the bank for its key
		return errs.E(errs.Unauthorized, "monobank webhook without a well-formed X-Sign")
	}
	c, err := b.cachedKey(ctx, token)
	if err != nil {
		return err
	}
	cached := c.Key
	if cached != "" {
		// a cached key that does not parse is fetched anew like a stale one
		ok, err := verifyWith(cached, body, xSign)
		if err == nil && ok {
			return nil
		}
		if err == nil && b.env.Now().Before(c.Fetched.Add(RefetchAfter)) {
			return errs.E(errs.Unauthorized, "bad monobank signature")
		}
	}
	fresh, err := b.fetchKey(ctx, token)
	if err != nil {
		return err
	}
	if fresh != cached || b.env.Now().After(c.Fetched.Add(RefetchAfter)) {
		if err := kv.PutJSON(ctx, b.env.KV, PubkeyKey(token), cachedKey{Key: fresh, Fetched: b.env.Now().UTC()}, pubkeyTTL); err != nil {
			// the next webhook fetches it again: not a reason to refuse this one
			b.env.Log.Warn("cache monobank pubkey", "err", err)
		}
	}
	ok, err := verifyWith(fresh, body, xSign)
	if err != nil {
		return err
	}
	if !ok {
		return errs.E(errs.Unauthorized, "bad monobank signature")
	}
	return nil
}

// plausibleSignature reports whether xSign can be an X-Sign at all: base64
// of an ASN.1 DER P-256 signature, at most 72 bytes.
func plausibleSignature(xSign string) bool {
	if xSign == "" || len(xSign) > 128 {
		return false
	}
	sig, err := base64.StdEncoding.DecodeString(strings.TrimSpace(xSign))
	return err == nil && len(sig) >= 8 && len(sig) <= 72 && sig[0] == 0x30
}

// verifyWith reports whether xSign verifies body with the key b64pem. A key
// that does not parse is errs.Unavailable (the bank served nonsense); a
// malformed signature is simply not a match.
func verifyWith(b64pem string, body []byte, xSign string) (bool, error) {
	pub, err := sign.ParsePublicKey(b64pem)
	if err != nil {
		return false, errs.Wrap(errs.Unavailable, err, "monobank public key unusable")
	}
	err = sign.Verify(pub, body, xSign)
	if errors.Is(err, sign.ErrBadSignature) {
		return false, nil
	}
	if err != nil {
		return false, errs.Wrap(errs.Unavailable, err, "monobank public key unusable")
	}
	return true, nil
}

// cachedKey returns the token's cached key, empty if none is cached here.
func (b *Bank) cachedKey(ctx context.Context, token string) (cachedKey, error) {
	var c cachedKey
	err := kv.GetJSON(ctx, b.env.KV, PubkeyKey(token), &c)
	if errors.Is(err, kv.ErrNotFound) {
		return cachedKey{}, nil
	}
	if err != nil {
		return cachedKey{}, errs.Storage(err)
	}
	return c, nil
}

// fetchKey asks GET /api/merchant/pubkey for the token's key.
func (b *Bank) fetchKey(ctx context.Context, token string) (string, error) {
	var resp struct {
		Key string `json:"key"`
	}
	if err := b.call(ctx, token, http.MethodGet, "/api/merchant/pubkey", nil, &resp); err != nil {
		return "", errs.Wrap(errs.Unavailable, fmt.Errorf("monobank pubkey: %w", err), "monobank public key unavailable")
	}
	if _, err := sign.ParsePublicKey(resp.Key); err != nil {
		return "", errs.Wrap(errs.Unavailable, fmt.Errorf("monobank pubkey: %w", err), "monobank public key unusable")
	}
	return resp.Key, nil
}

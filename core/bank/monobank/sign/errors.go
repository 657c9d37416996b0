package sign

import "errors"

var (
	// ErrBadKey is returned for a public key that is not base64 of a PEM
	// "PUBLIC KEY" block holding an ECDSA P-256 key, and for a nil key.
	ErrBadKey = errors.New("monobank sign: bad public key")
	// ErrBadSignature is returned when X-Sign is missing, malformed or does not
	// match the body under the given key.
	ErrBadSignature = errors.New("monobank sign: bad signature")
)

package sign

import "errors"

var (
	// ErrBadSignature is returned when a signature is empty or does not match
	// the data under the private key.
	ErrBadSignature = errors.New("liqpay sign: bad signature")
	// ErrBadData is returned when data is not base64 (StdEncoding) of a JSON
	// value that fits the destination.
	ErrBadData = errors.New("liqpay sign: bad data")
)

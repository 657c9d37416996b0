// Package qr draws the QR code of a payment link as a PNG picture.
package qr

import (
	"fmt"

	qrcode "github.com/skip2/go-qrcode"
)

// Size is the PNG's width and height in pixels: large enough to scan from a
// phone screen across a counter, small enough for Viber's 1 MB picture limit.
const Size = 512

// PNG returns the QR code of link (error correction level M).
func PNG(link string) ([]byte, error) {
	b, err := qrcode.Encode(link, qrcode.Medium, Size)
	if err != nil {
		return nil, fmt.Errorf("qr of %.40q: %w", link, err)
	}
	return b, nil
}

// Package qr draws the QR code of a payment link as a PNG picture.
package qr

import (
	"fmt"

	"rsc.io/qr"
)

// Scale is the size of one QR module in pixels; Border is the quiet zone in
// modules (the standard asks for 4). A payment link (~110 characters, level
// M) is a 45×45-module symbol: 424×424 pixels, large enough to scan from a
// phone screen across a counter and far under Viber's 1 MB picture limit.
const (
	Scale  = 8
	Border = 4
)

// PNG returns the QR code of link (error correction level M) as a 1-bit
// grayscale PNG. The symbol comes from rsc.io/qr and the picture is written
// here, uncompressed: on a Worker a request has 10 ms of CPU, and in the
// WebAssembly guest github.com/skip2/go-qrcode spent about 4 ms choosing a
// mask plus 20–35 ms writing its full-colour PNG, and image/png's deflate
// alone allocates a megabyte. This costs a few hundred microseconds (see
// RATIONALE.md and the benchmarks in this package); the picture is ~23 KB.
func PNG(link string) ([]byte, error) {
	c, err := qr.Encode(link, qr.M)
	if err != nil {
		return nil, fmt.Errorf("qr of %.40q: %w", link, err)
	}
	side := (c.Size + 2*Border) * Scale
	rowBytes := (side + 7) / 8
	// raw image data: per row a filter byte (0, none) and 1 bit per pixel,
	// 1 = white in grayscale
	raw := make([]byte, side*(1+rowBytes))
	row := make([]byte, rowBytes)
	for y := 0; y < side; y++ {
		for i := range row {
			row[i] = 0xff
		}
		my := y/Scale - Border
		if my >= 0 && my < c.Size {
			for mx := 0; mx < c.Size; mx++ {
				if !c.Black(mx, my) {
					continue
				}
				for px := (mx + Border) * Scale; px < (mx+Border+1)*Scale; px++ {
					row[px/8] &^= 0x80 >> (px % 8)
				}
			}
		}
		off := y * (1 + rowBytes)
		copy(raw[off+1:], row)
	}
	return encodePNG(side, side, raw), nil
}

// Package qr draws the QR code of a payment link as a PNG picture.
package qr

import (
	"errors"
	"fmt"
	"sync"

	"rsc.io/qr/coding"
)

// Scale is the size of one QR module in pixels; Border is the quiet zone in
// modules (the standard asks for 4). A payment link (~110 characters, level
// M) is a 45×45-module symbol: 424×424 pixels, large enough to scan from a
// phone screen across a counter and far under Viber's 1 MB picture limit.
const (
	Scale  = 8
	Border = 4
)

// A module of Scale pixels is whole bytes of a 1-bit row, so that PNG
// clears a dark module's bytes instead of its bits: another Scale does not
// compile.
var _ [0]struct{} = [Scale % 8]struct{}{}

// PNG returns the QR code of link (error correction level M) as a 1-bit
// grayscale PNG. The symbol comes from rsc.io/qr and the picture is written
// here, uncompressed: on a Worker a request has 10 ms of CPU, and in the
// WebAssembly guest github.com/skip2/go-qrcode spent about 4 ms choosing a
// mask plus 20–35 ms writing its full-colour PNG, and image/png's deflate
// alone allocates a megabyte. This costs a few hundred microseconds (see
// RATIONALE.md and the benchmarks in this package); the picture is ~23 KB.
func PNG(link string) ([]byte, error) {
	c, err := encode(link)
	if err != nil {
		return nil, fmt.Errorf("qr of %.40q: %w", link, err)
	}
	side := (c.Size + 2*Border) * Scale
	rowBytes := (side + 7) / 8
	// raw image data: per row a filter byte (0, none) and 1 bit per pixel,
	// 1 = white in grayscale. Each module row is drawn once and copied to
	// its Scale pixel rows: in the WebAssembly guest, drawing all of them
	// cost more than the rest of the QR path.
	line := 1 + rowBytes
	raw := make([]byte, side*line)
	blank := make([]byte, line)
	for i := 1; i < line; i++ {
		blank[i] = 0xff
	}
	row := make([]byte, line)
	for y := 0; y < Border*Scale; y++ {
		copy(raw[y*line:], blank)
		copy(raw[(side-1-y)*line:], blank)
	}
	for my := 0; my < c.Size; my++ {
		copy(row, blank)
		for mx := 0; mx < c.Size; mx++ {
			if c.Bitmap[my*c.Stride+mx/8]&(0x80>>(mx%8)) == 0 {
				continue
			}
			// a module is whole bytes (Scale is a multiple of 8): clear them
			clear(row[1+(mx+Border)*Scale/8 : 1+(mx+Border+1)*Scale/8])
		}
		for dy := 0; dy < Scale; dy++ {
			copy(raw[((my+Border)*Scale+dy)*line:], row)
		}
	}
	return encodePNG(side, side, raw), nil
}

// plans are rsc.io/qr's layouts of a symbol, by version, at level M with
// mask 0 (what qr.Encode uses): they depend on nothing but the version, and
// laying one out costs more than encoding a link into it, so an instance
// lays each out once.
var plans struct {
	sync.Mutex
	byVersion [coding.MaxVersion + 1]*coding.Plan
}

func plan(v coding.Version) (*coding.Plan, error) {
	plans.Lock()
	defer plans.Unlock()
	if p := plans.byVersion[v]; p != nil {
		return p, nil
	}
	p, err := coding.NewPlan(v, coding.M, 0)
	if err != nil {
		return nil, err
	}
	plans.byVersion[v] = p
	return p, nil
}

// encode is rsc.io/qr's Encode at level M, with the layouts kept.
func encode(text string) (*coding.Code, error) {
	var enc coding.Encoding
	switch {
	case coding.Num(text).Check() == nil:
		enc = coding.Num(text)
	case coding.Alpha(text).Check() == nil:
		enc = coding.Alpha(text)
	default:
		enc = coding.String(text)
	}
	v := coding.Version(coding.MinVersion)
	for ; enc.Bits(v) > v.DataBytes(coding.M)*8; v++ {
		if v == coding.MaxVersion {
			return nil, errors.New("text too long to encode as QR")
		}
	}
	p, err := plan(v)
	if err != nil {
		return nil, err
	}
	return p.Encode(enc)
}

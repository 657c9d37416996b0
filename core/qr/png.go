package qr

import (
	"encoding/binary"
	"hash/adler32"
	"hash/crc32"
)

// encodePNG writes a 1-bit grayscale PNG (https://www.w3.org/TR/png/) whose
// filtered scanlines are raw, in stored (uncompressed) deflate blocks. A QR
// code is tiny; what matters on a Worker is CPU, not bytes.
func encodePNG(w, h int, raw []byte) []byte {
	const maxBlock = 65535
	nblocks := (len(raw) + maxBlock - 1) / maxBlock
	zlen := 2 + len(raw) + 5*nblocks + 4
	out := make([]byte, 0, 8+25+12+zlen+12)
	out = append(out, 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n')

	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], uint32(w))
	binary.BigEndian.PutUint32(ihdr[4:], uint32(h))
	ihdr[8] = 1 // bit depth
	ihdr[9] = 0 // colour type: grayscale
	out = chunk(out, "IHDR", ihdr)

	z := make([]byte, 0, zlen)
	z = append(z, 0x78, 0x01) // zlib: deflate, 32K window, no dictionary
	for i := 0; i < len(raw); i += maxBlock {
		end := min(i+maxBlock, len(raw))
		final := byte(0)
		if end == len(raw) {
			final = 1
		}
		n := uint16(end - i)
		z = append(z, final, byte(n), byte(n>>8), byte(^n), byte(^n>>8))
		z = append(z, raw[i:end]...)
	}
	z = binary.BigEndian.AppendUint32(z, adler32.Checksum(raw))
	out = chunk(out, "IDAT", z)
	return chunk(out, "IEND", nil)
}

func chunk(out []byte, typ string, data []byte) []byte {
	out = binary.BigEndian.AppendUint32(out, uint32(len(data)))
	start := len(out)
	out = append(out, typ...)
	out = append(out, data...)
	return binary.BigEndian.AppendUint32(out, crc32.ChecksumIEEE(out[start:]))
}

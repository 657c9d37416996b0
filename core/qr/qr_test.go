package qr

import (
	"bytes"
	"image"
	"image/png"
	"strings"
	"testing"

	"github.com/makiuchi-d/gozxing"
	gozxingqr "github.com/makiuchi-d/gozxing/qrcode"
)

func decode(t *testing.T, b []byte) string {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("png: %v", err)
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	res, err := gozxingqr.NewQRCodeReader().Decode(bmp, nil)
	if err != nil {
		t.Fatalf("decode QR: %v", err)
	}
	return res.GetText()
}

func TestPNGDecodesToTheLink(t *testing.T) {
	links := []string{
		"http://localhost:8787/p/x",
		"https://pay.example.com/p/" + strings.Repeat("AbCd-_09", 11),
		// a workers.dev host with a long subdomain and a real-length ref
		"https://paylastic-edge.some-long-account-subdomain.workers.dev/p/" + strings.Repeat("AQaaogfnvfIVv-TjUbn0", 4) + "0MB_w1wdfwSchymZzA",
	}
	// every QR version a link of ours can need, 20 to 240 characters
	for n := 20; n <= 240; n += 11 {
		links = append(links, "https://x.test/p/"+strings.Repeat("Zz9_-", n/5)[:n-17])
	}
	for _, link := range links {
		b, err := PNG(link)
		if err != nil {
			t.Fatal(err)
		}
		if got := decode(t, b); got != link {
			t.Errorf("QR decodes to %q, want %q", got, link)
		}
		cfg, err := png.DecodeConfig(bytes.NewReader(b))
		if err != nil || cfg.Width != cfg.Height || cfg.Width < 200 || len(b) > 64<<10 {
			t.Errorf("PNG %dx%d, %d bytes; want square, ≥200 px, small", cfg.Width, cfg.Height, len(b))
		}
		if _, ok := mustImage(t, b).(*image.Gray); !ok {
			t.Errorf("PNG is not grayscale")
		}
	}
}

func mustImage(t *testing.T, b []byte) image.Image {
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// BenchmarkPNG is the QR cost of one check (it runs on every «amount» request).
func BenchmarkPNG(b *testing.B) {
	link := "https://pay.example.com/p/" + strings.Repeat("AbCd-_09", 11)
	for i := 0; i < b.N; i++ {
		if _, err := PNG(link); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLibraryPNG is go-qrcode's own PNG writer, for comparison.
func BenchmarkLibraryPNG(b *testing.B) {
	link := "https://pay.example.com/p/" + strings.Repeat("AbCd-_09", 11)
	for i := 0; i < b.N; i++ {
		if _, err := qrEncode(link); err != nil {
			b.Fatal(err)
		}
	}
}

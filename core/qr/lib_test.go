package qr

import qrcode "github.com/skip2/go-qrcode"

func qrEncode(link string) ([]byte, error) { return qrcode.Encode(link, qrcode.Medium, 512) }

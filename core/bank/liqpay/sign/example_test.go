package sign_test

import (
	"fmt"

	"github.com/paylastic/edge/core/bank/liqpay/sign"
)

// Building a checkout request and checking a callback.
func Example() {
	data, err := sign.Data(map[string]any{"num": 124, "public_key": "test_pub_key", "str": "value"})
	if err != nil {
		fmt.Println(err)
		return
	}
	signature := sign.Signature("test_priv_key", data)
	fmt.Println(data)
	fmt.Println(signature)

	// On a callback: verify the received data as-is, then decode it.
	if err := sign.Verify("test_priv_key", data, signature); err != nil {
		fmt.Println(err)
		return
	}
	var cb struct {
		Str string `json:"str"`
	}
	fmt.Println(sign.Decode(data, &cb), cb.Str)
	fmt.Println(sign.Verify("test_priv_key", data, "9Altos5Ex1c7MX5uoKSrKXFK3mA="))
	// Output:
	// eyJudW0iOjEyNCwicHVibGljX2tleSI6InRlc3RfcHViX2tleSIsInN0ciI6InZhbHVlIn0=
	// 9Altos5Ex1c7MX5uoKSrKXFK3mQ=
	// <nil> value
	// verify signature: liqpay sign: bad signature
}

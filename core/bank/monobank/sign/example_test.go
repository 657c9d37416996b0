package sign_test

import (
	"fmt"
	"os"

	"github.com/paylastic/edge/core/bank/monobank/sign"
)

// Verifying a webhook: parse the cached key from GET /api/merchant/pubkey once,
// then check each raw body against its X-Sign header.
func ExampleVerify() {
	pub, err := sign.ParsePublicKey(docPubKey)
	if err != nil {
		fmt.Println(err)
		return
	}
	body, err := os.ReadFile("testdata/webhook-body.json") // the raw request body
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(sign.Verify(pub, body, docXSign))
	fmt.Println(sign.Verify(pub, append(body, ' '), docXSign))
	// Output:
	// <nil>
	// verify x-sign: monobank sign: bad signature
}

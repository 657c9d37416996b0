// Package monobank is the bank.Provider for monobank acquiring ("Plata by
// mono", https://api.monobank.ua/docs/acquiring.html): a payment is an
// invoice (invoice/create) whose pageUrl the buyer is sent to with a 303;
// the bank reports status changes with webhooks signed with X-Sign (ECDSA
// P-256 over SHA-256 of the raw body, package sign), and answers
// invoice/status for the result page and the scheduled pass. invoice/remove
// withdraws an unpaid invoice when its check is cancelled (bank.Canceller),
// invoice/cancel returns a successful payment (bank.Refunder).
//
// Every merchant has its own token (Credentials), sealed in the merchant
// record. The check's signed token goes into merchantPaymInfo.reference
// and into the webhook URL's query (?ref=), so a webhook names its check and
// merchant before a byte of its body is parsed; the merchant's token then
// gives the public key that must verify X-Sign. The key is cached in KV
// (PubkeyPrefix) and fetched again once when a signature does not verify.
package monobank

import "github.com/paylastic/edge/core/bank"

// Name is the provider's name in merchant records, attempts and routes.
const Name = "monobank"

// DefaultAPIURL is monobank's API base URL (MONOBANK_API_URL overrides it).
const DefaultAPIURL = "https://api.monobank.ua"

// ccyUAH is the ISO 4217 numeric code of the hryvnia.
const ccyUAH = 980

// Bank is the monobank provider. It is cheap to build: nothing is fetched or
// parsed until a request needs it.
type Bank struct {
	env bank.Env
	api string // base URL, no trailing slash
}

var _ bank.Provider = (*Bank)(nil)

// New returns the provider talking to the API at apiURL ("" means
// DefaultAPIURL).
func New(env bank.Env, apiURL string) *Bank {
	return &Bank{env: env.WithDefaults(), api: bank.APIBase(apiURL, DefaultAPIURL)}
}

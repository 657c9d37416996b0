package monobank

// Wire types of the monobank acquiring API as the fake reads and writes them.
// Field names follow https://api.monobank.ua/docs/acquiring.html (OpenAPI
// v2405).

// CreateRequest is the body of POST /api/merchant/invoice/create.
type CreateRequest struct {
	Amount           int64             `json:"amount"`
	Ccy              int               `json:"ccy,omitempty"`
	MerchantPaymInfo *MerchantPaymInfo `json:"merchantPaymInfo,omitempty"`
	RedirectURL      string            `json:"redirectUrl,omitempty"`
	WebHookURL       string            `json:"webHookUrl,omitempty"`
	Validity         int64             `json:"validity,omitempty"`
	PaymentType      string            `json:"paymentType,omitempty"`
	QrID             string            `json:"qrId,omitempty"`
	Code             string            `json:"code,omitempty"`
	SaveCardData     map[string]any    `json:"saveCardData,omitempty"`
}

// MerchantPaymInfo is the merchant's order data inside CreateRequest.
type MerchantPaymInfo struct {
	Reference      string       `json:"reference,omitempty"`
	Destination    string       `json:"destination,omitempty"`
	Comment        string       `json:"comment,omitempty"`
	CustomerEmails []string     `json:"customerEmails,omitempty"`
	BasketOrder    []BasketItem `json:"basketOrder,omitempty"`
}

// BasketItem is one line of merchantPaymInfo.basketOrder; Sum is per unit,
// in minor units.
type BasketItem struct {
	Name      string  `json:"name"`
	Qty       float64 `json:"qty"`
	Sum       int64   `json:"sum"`
	Code      string  `json:"code"`
	Icon      string  `json:"icon,omitempty"`
	Unit      string  `json:"unit,omitempty"`
	Barcode   string  `json:"barcode,omitempty"`
	Header    string  `json:"header,omitempty"`
	Footer    string  `json:"footer,omitempty"`
	Tax       []int   `json:"tax,omitempty"`
	Uktzed    string  `json:"uktzed,omitempty"`
	Discounts []any   `json:"discounts,omitempty"`
}

// CreateResponse is the answer of invoice/create.
type CreateResponse struct {
	InvoiceID string `json:"invoiceId"`
	PageURL   string `json:"pageUrl"`
}

// StatusResponse is the body of GET invoice/status and of every webhook.
// Dates are RFC 3339 in UTC.
type StatusResponse struct {
	InvoiceID     string       `json:"invoiceId"`
	Status        string       `json:"status"`
	FailureReason string       `json:"failureReason,omitempty"`
	ErrCode       string       `json:"errCode,omitempty"`
	Amount        int64        `json:"amount"`
	Ccy           int          `json:"ccy"`
	FinalAmount   int64        `json:"finalAmount"`
	CreatedDate   string       `json:"createdDate"`
	ModifiedDate  string       `json:"modifiedDate"`
	Reference     string       `json:"reference,omitempty"`
	Destination   string       `json:"destination,omitempty"`
	CancelList    []CancelItem `json:"cancelList,omitempty"`
	PaymentInfo   *PaymentInfo `json:"paymentInfo,omitempty"`
}

// CancelItem is one refund in StatusResponse.CancelList.
type CancelItem struct {
	Status       string `json:"status"`
	Amount       int64  `json:"amount"`
	Ccy          int    `json:"ccy"`
	CreatedDate  string `json:"createdDate"`
	ModifiedDate string `json:"modifiedDate"`
	ApprovalCode string `json:"approvalCode,omitempty"`
	RRN          string `json:"rrn,omitempty"`
	ExtRef       string `json:"extRef,omitempty"`
}

// PaymentInfo describes the card payment of an invoice.
type PaymentInfo struct {
	MaskedPan     string `json:"maskedPan,omitempty"`
	ApprovalCode  string `json:"approvalCode,omitempty"`
	RRN           string `json:"rrn,omitempty"`
	TranID        string `json:"tranId,omitempty"`
	Terminal      string `json:"terminal,omitempty"`
	Bank          string `json:"bank,omitempty"`
	PaymentSystem string `json:"paymentSystem,omitempty"`
	PaymentMethod string `json:"paymentMethod,omitempty"`
	Fee           int64  `json:"fee,omitempty"`
	Country       string `json:"country,omitempty"`
}

// CancelRequest is the body of POST invoice/cancel. Amount 0 means a full
// refund of what is left.
type CancelRequest struct {
	InvoiceID string       `json:"invoiceId"`
	ExtRef    string       `json:"extRef,omitempty"`
	Amount    int64        `json:"amount,omitempty"`
	Items     []BasketItem `json:"items,omitempty"`
}

// CancelResponse is the answer of invoice/cancel.
type CancelResponse struct {
	Status       string `json:"status"`
	CreatedDate  string `json:"createdDate"`
	ModifiedDate string `json:"modifiedDate"`
}

// RemoveRequest is the body of POST invoice/remove.
type RemoveRequest struct {
	InvoiceID string `json:"invoiceId"`
}

// PubkeyResponse is the answer of GET /api/merchant/pubkey: base64 of a PEM.
type PubkeyResponse struct {
	Key string `json:"key"`
}

// ErrorResponse is every error body of the API.
type ErrorResponse struct {
	ErrCode string `json:"errCode"`
	ErrText string `json:"errText"`
}

package admin

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/paylastic/edge/core/check"
	"github.com/paylastic/edge/core/checks"
	"github.com/paylastic/edge/core/errs"
	"github.com/paylastic/edge/core/kyiv"
)

// MaxExportDays is the longest export: a month, as an accountant imports
// it. Checks are kept checks.Retention (35 days) anyway.
const MaxExportDays = 31

// exportColumns are the CSV header and the JSON fields, in order.
var exportColumns = []string{"id", "number", "status", "amount", "currency", "created_kyiv", "paid_kyiv",
	"cashier_id", "cashier", "messenger", "bank", "bank_payment_id", "test"}

// exportChecks is GET /admin/merchants/{id}/checks?from=YYYY-MM-DD&to=YYYY-MM-DD
// [&format=csv|json][&cursor=…][&limit=…]: the merchant's checks created on
// those Kyiv days, one page (checks.ExportPage, at most limit, default and
// at most checks.MaxExportPage) per request, rows written as they are read.
// A next page is named by the Link header (rel="next") and X-Next-Cursor;
// none when this is the last.
//
// CSV (format=csv or Accept: text/csv) is RFC 4180: a header row, CRLF,
// quotes where needed. JSON is NDJSON (application/x-ndjson), one object a
// line, not an array: every line stands alone, so a page is written as it
// is read and pages are joined by appending, with no brackets to mend.
// Times are Kyiv time: "2006-01-02 15:04:05" in CSV (what spreadsheets
// take), RFC 3339 with the offset in JSON.
func (a *API) exportChecks(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	q := r.URL.Query()
	from, to, err := exportDays(q.Get("from"), q.Get("to"))
	if err != nil {
		return err
	}
	asCSV, err := exportFormat(q.Get("format"), r.Header.Get("Accept"))
	if err != nil {
		return err
	}
	limit := 0
	if s := q.Get("limit"); s != "" {
		if limit, err = strconv.Atoi(s); err != nil || limit < 1 || limit > checks.MaxExportPage {
			return errs.E(errs.Invalid, "limit: from 1 to %d", checks.MaxExportPage)
		}
	}
	m, err := a.Merchants.Get(ctx, r.PathValue("id"))
	if err != nil {
		return err
	}
	members, err := a.Merchants.Members(ctx, m.ID)
	if err != nil {
		return err
	}
	names := make(map[string]string, len(members))
	e := checks.Export{Merchant: m.ID, From: from, To: to}
	for _, op := range members {
		id := op.ID(a.Merchants.Secret)
		names[id] = op.Name
		e.Operators = append(e.Operators, id)
	}
	rows, next, err := a.Checks.ExportPage(ctx, e, q.Get("cursor"), limit)
	if err != nil {
		return fmt.Errorf("export checks of %s: %w", m.ID, err)
	}

	h := w.Header()
	h.Set("Cache-Control", "no-store")
	if next != "" {
		nq := url.Values{}
		for k, v := range q {
			nq[k] = v
		}
		nq.Set("cursor", next)
		h.Set("Link", "<"+r.URL.Path+"?"+nq.Encode()+`>; rel="next"`)
		h.Set("X-Next-Cursor", next)
	}
	now := a.Checks.Now()
	if asCSV {
		h.Set("Content-Type", "text/csv; charset=utf-8; header=present")
		h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="checks-%s-%s-%s.csv"`, m.ID, q.Get("from"), q.Get("to")))
		cw := csv.NewWriter(w)
		cw.UseCRLF = true // RFC 4180
		if err := cw.Write(exportColumns); err != nil {
			return nil // the client went away: nothing more to say
		}
		for _, s := range rows {
			if err := cw.Write(exportRow(s, names, now).csv()); err != nil {
				return nil
			}
		}
		cw.Flush()
		return nil
	}
	h.Set("Content-Type", "application/x-ndjson; charset=utf-8")
	enc := json.NewEncoder(w)
	for _, s := range rows {
		if err := enc.Encode(exportRow(s, names, now).json()); err != nil {
			return nil
		}
	}
	return nil
}

// exportDays parses the Kyiv days from and to: both required, from ≤ to, at
// most MaxExportDays.
func exportDays(fromS, toS string) (from, to time.Time, err error) {
	from, err1 := time.Parse(time.DateOnly, fromS)
	to, err2 := time.Parse(time.DateOnly, toS)
	switch {
	case err1 != nil || err2 != nil:
		return from, to, errs.E(errs.Invalid, "from and to: Kyiv days as YYYY-MM-DD")
	case to.Before(from):
		return from, to, errs.E(errs.Invalid, "to is before from")
	case to.Sub(from) >= MaxExportDays*24*time.Hour:
		return from, to, errs.E(errs.Invalid, "at most %d days at once", MaxExportDays)
	}
	return from, to, nil
}

// exportFormat is CSV or not (NDJSON): ?format= first, then Accept; JSON
// when neither says.
func exportFormat(format, accept string) (asCSV bool, err error) {
	switch format {
	case "csv":
		return true, nil
	case "json", "ndjson":
		return false, nil
	case "":
	default:
		return false, errs.E(errs.Invalid, "format: csv or json")
	}
	for _, part := range strings.Split(accept, ",") {
		mt, _, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		switch mt {
		case "text/csv":
			return true, nil
		case "application/json", "application/x-ndjson":
			return false, nil
		}
	}
	return false, nil
}

// exported is one check as the export shows it.
type exported struct {
	ID, Number, Status, Amount   string
	Created, Paid                time.Time // Kyiv; Paid zero if never paid
	Cashier, CashierName         string
	Messenger, Bank, BankPayment string
	Test                         bool
}

// exportRow is a check's row: the status as the buyer sees it (an open
// check past its expiry is expired), the paid time, bank and payment id of
// the paying attempt, or else the bank and id of the last attempt.
func exportRow(s checks.Summary, names map[string]string, now time.Time) exported {
	c, st := s.Check, s.State
	e := exported{
		ID: c.ID, Number: check.ShortID(c.ID), Status: string(st.Status), Amount: c.Amount.Decimal(),
		Created: kyiv.In(c.Created), Cashier: c.Operator, CashierName: names[c.Operator], Messenger: c.Chat.Messenger,
	}
	if e.Status == "" {
		e.Status = string(check.Open)
	}
	if st.Status == check.Open || st.Status == "" {
		if !now.Before(c.Expires) {
			e.Status = string(check.Expired)
		}
	}
	for i := len(st.Attempts) - 1; i >= 0; i-- {
		a := st.Attempts[i]
		if i == len(st.Attempts)-1 {
			e.Bank, e.BankPayment, e.Test = a.Provider, a.ProviderRef, a.Test
		}
		if a.Status == check.AttemptSuccess || a.Status == check.AttemptReversed {
			e.Bank, e.BankPayment, e.Test = a.Provider, a.ProviderRef, a.Test
			at := a.Modified
			if at.IsZero() {
				at = st.Updated
			}
			if !at.IsZero() {
				e.Paid = kyiv.In(at)
			}
			break
		}
	}
	return e
}

func (e exported) csv() []string {
	const layout = time.DateTime
	paid := ""
	if !e.Paid.IsZero() {
		paid = e.Paid.Format(layout)
	}
	return []string{e.ID, e.Number, e.Status, e.Amount, "UAH", e.Created.Format(layout), paid,
		e.Cashier, e.CashierName, e.Messenger, e.Bank, e.BankPayment, strconv.FormatBool(e.Test)}
}

// exportJSON is a row in NDJSON; the field names are exportColumns.
type exportJSON struct {
	ID            string `json:"id"`
	Number        string `json:"number"`
	Status        string `json:"status"`
	Amount        string `json:"amount"`
	Currency      string `json:"currency"`
	Created       string `json:"created_kyiv"`
	Paid          string `json:"paid_kyiv,omitempty"`
	Cashier       string `json:"cashier_id"`
	CashierName   string `json:"cashier"`
	Messenger     string `json:"messenger"`
	Bank          string `json:"bank,omitempty"`
	BankPaymentID string `json:"bank_payment_id,omitempty"`
	Test          bool   `json:"test"`
}

func (e exported) json() exportJSON {
	j := exportJSON{ID: e.ID, Number: e.Number, Status: e.Status, Amount: e.Amount, Currency: "UAH",
		Created: e.Created.Format(time.RFC3339), Cashier: e.Cashier, CashierName: e.CashierName,
		Messenger: e.Messenger, Bank: e.Bank, BankPaymentID: e.BankPayment, Test: e.Test}
	if !e.Paid.IsZero() {
		j.Paid = e.Paid.Format(time.RFC3339)
	}
	return j
}

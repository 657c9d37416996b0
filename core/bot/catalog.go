package bot

import (
	"strings"
	"time"

	"github.com/paylastic/edge/core/check"
	"github.com/paylastic/edge/core/kyiv"
	"github.com/paylastic/edge/core/merchant"
	"github.com/paylastic/edge/core/money"
)

// catalog holds every sentence the bot says, in one language. Sentences with
// verbs take fmt arguments in the order their comments give. Catalogs are
// plain struct values, so they cost nothing at start-up (no maps, no
// templates to parse).
type catalog struct {
	lang string

	buttons [numButtons]string // labels of the main keyboard, by ButtonID

	greeting    string // to a stranger's /start
	needCode    string // a stranger wrote something that is not a code
	welcomeBack string // role word, merchant name quoted
	activated   string // role word, merchant name quoted
	// roleWords name the roles in welcomeBack and activated: owner, cashier.
	roleWords  [2]string
	wrongCode  string
	throttled  string // minutes to wait
	askAmount  string
	help       string
	unknownCmd string

	amountEmpty      string
	amountNotNumber  string // what was typed
	amountZero       string
	amountNegative   string
	amountTooPrecise string
	amountTooLarge   string // the merchant's limit, formatted
	merchantGone     string
	tryLater         string

	caption      string // amount, merchant name, check id, expiry time, link
	cancelButton string
	shareButton  string // «Надіслати покупцю»: opens the share page
	cancelled    string // check id, amount
	cancelledAck string
	notOpen      string // check id, status word
	noSuchCheck  string
	staleButton  string
	staleAmount  string // the amount message arrived too late to make a check

	refundButton      string // under a paid notice
	refundAsk         string // amount, check id
	refundYes         string
	refundNo          string
	refundDone        string // check id, amount
	refundKept        string // check id
	refundNotPaid     string // check id, status word
	refundUnsupported string
	refundForbidden   string // a cashier of a shop without cashier refunds
	removed           string // merchant name, quoted: a removed operator wrote
	ownersOnly        string // a cashier pressed an owner's button

	staffHeader    string
	staffLine      string // number, name, bound since
	staffNone      string
	staffAdd       string
	staffRemove    string // name
	staffCode      string // code, valid until
	staffRemoveAsk string // name
	staffRemoveYes string
	staffRemoved   string // name
	staffGone      string

	shopHeader  string // date
	shopEmpty   string // date
	shopLine    string // time, amount, check id, status word, cashier
	shopCashier string // cashier, paid sum, paid count, all count
	shopTotal   string // paid sum, paid count, all count

	reportTitle    string // shop name, date
	reportEmpty    string // shop name, date
	reportPaid     string // count, sum
	reportRefunded string // count, sum
	reportFailed   string // count of checks with a failed payment
	reportExpired  string // count
	reportCashiers string
	reportCashier  string // name, paid count, paid sum
	reportCompare  string // weekday date, paid count, paid sum, difference in %
	reportNoBase   string // weekday date: nothing paid that day
	reportTimeSet  string // HH:MM
	reportTimeOff  string
	reportTimeBad  string
	noticeBy       string // cashier name: under the copy of a notice an owner gets
	noticesAll     string
	noticesMine    string
	noticesBad     string

	listHeader string // date
	listEmpty  string // date
	listLine   string // time, amount, check id, status word
	listMore   string // how many more
	listTotal  string // paid total, paid count, all count
	listCapped string // how many checks the total covers

	status [5]string // by statusIndex: open, paid, expired, cancelled, refunded

	noticePaid     string // check id, amount, time
	noticeFailed   string // time, check id, amount, the bank's reason
	noReason       string // when the bank gave none
	noticeExpired  string // check id, amount
	noticeRefunded string // check id, amount, time
	// noticePaidTwice: check id, amount, time; another bank page of the
	// same check was paid too
	noticePaidTwice   string
	noticeUnknown     string // check id, amount, kind of news
	testPayment       string // the line under a notice about a test payment
	merchantDisabled  string
	noticeBankRefused string // check id, amount, the bank's words
	refundRefused     string // check id, the bank's words
	noBank            string
	testMark          string // before a test payment in lists

	quotes [2]string // around a merchant's name

	dateLayout string // today's date in the list header
	timeLayout string // times of day
	dayLayout  string // the date added to an expiry on another day
}

func catalogFor(lang string) *catalog {
	if lang == "en" {
		return &en
	}
	return &uk
}

func (t *catalog) amount(a money.Amount) string { return a.Format(t.lang) }

// quote puts a merchant's name in the language's quotes, unless the name
// has quotes of its own («Кавʼярня «Ранок»» reads badly).
func (t *catalog) quote(name string) string {
	if strings.ContainsAny(name, "«»“”\"„") {
		return name
	}
	return t.quotes[0] + name + t.quotes[1]
}

// role is the word for op's role, as welcomeBack and activated take it.
func (t *catalog) role(op *merchant.Operator) string {
	if op.IsOwner() {
		return t.roleWords[0]
	}
	return t.roleWords[1]
}

func (t *catalog) clock(at time.Time) string { return kyiv.In(at).Format(t.timeLayout) }

// until is an expiry time of day, with its date when it is not on the day
// the check was created (Kyiv time).
func (t *catalog) until(created, expires time.Time) string {
	c, e := kyiv.In(created), kyiv.In(expires)
	if c.YearDay() != e.YearDay() || c.Year() != e.Year() {
		return e.Format(t.timeLayout + " " + t.dayLayout)
	}
	return e.Format(t.timeLayout)
}

func statusIndex(s check.Status) int {
	switch s {
	case check.Paid:
		return 1
	case check.Expired:
		return 2
	case check.Cancelled:
		return 3
	case check.Refunded:
		return 4
	}
	return 0
}

func (t *catalog) statusWord(s check.Status) string { return t.status[statusIndex(s)] }

package viber

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"time"
)

// UserAPIVersion is the "api_version" (the highest API version the user's
// device supports) the callback constructors put in user objects.
const UserAPIVersion = 10

// Sign returns the X-Viber-Content-Signature of a callback body: the
// lower-case hex HMAC-SHA256 of the raw body keyed by the bot's auth token
// (https://developers.viber.com/docs/api/rest-bot-api/#callbacks).
func Sign(authToken string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(authToken))
	mac.Write(body)
	return hex.EncodeToString(mac.Sum(nil))
}

// User is a Viber user as callbacks and get_user_details describe one.
// The device fields appear only in get_user_details.
type User struct {
	ID              string `json:"id"`
	Name            string `json:"name"`
	Avatar          string `json:"avatar,omitempty"`
	Country         string `json:"country,omitempty"`
	Language        string `json:"language,omitempty"`
	APIVersion      int    `json:"api_version,omitempty"`
	PrimaryDeviceOS string `json:"primary_device_os,omitempty"`
	ViberVersion    string `json:"viber_version,omitempty"`
	DeviceType      string `json:"device_type,omitempty"`
}

// InMessage is the "message" object of a message callback: what the user
// sent. Button presses arrive as Type "text" with Text = ActionBody.
type InMessage struct {
	Type         string    `json:"type"` // text, picture, video, file, sticker, contact, url, location
	Text         string    `json:"text,omitempty"`
	Media        string    `json:"media,omitempty"`
	Location     *Location `json:"location,omitempty"`
	Contact      *Contact  `json:"contact,omitempty"`
	FileName     string    `json:"file_name,omitempty"`
	FileSize     int64     `json:"file_size,omitempty"`
	StickerID    int64     `json:"sticker_id,omitempty"`
	TrackingData string    `json:"tracking_data,omitempty"`
}

// Location is a point on the map.
type Location struct {
	Lat float64 `json:"lat"`
	Lon float64 `json:"lon"`
}

// Contact is a shared contact (e.g. from a share-phone button).
type Contact struct {
	Name        string `json:"name"`
	PhoneNumber string `json:"phone_number"`
}

// event is a callback body. Fields follow the shapes in
// https://developers.viber.com/docs/api/rest-bot-api/#callbacks.
type event struct {
	Event        string     `json:"event"`
	Timestamp    int64      `json:"timestamp"` // Unix milliseconds
	ChatHostname string     `json:"chat_hostname,omitempty"`
	MessageToken uint64     `json:"message_token"`
	Type         string     `json:"type,omitempty"`
	Context      string     `json:"context,omitempty"`
	User         *User      `json:"user,omitempty"`
	UserID       string     `json:"user_id,omitempty"`
	Sender       *User      `json:"sender,omitempty"`
	Message      *InMessage `json:"message,omitempty"`
	Subscribed   *bool      `json:"subscribed,omitempty"`
	Silent       *bool      `json:"silent,omitempty"`
	Desc         string     `json:"desc,omitempty"`
}

func (e event) marshal() []byte {
	b, err := json.Marshal(e)
	if err != nil {
		panic("viber: marshal callback: " + err.Error()) // only plain types inside
	}
	return b
}

func callbackUser(id, name, language string) *User {
	return &User{ID: id, Name: name, Country: "UA", Language: language, APIVersion: UserAPIVersion}
}

// MessageCallback returns a "message" callback: user userID (with name and
// language) sent text, echoing trackingData from the bot's last message.
func MessageCallback(userID, name, language, text string, messageToken uint64, ts time.Time, trackingData string) []byte {
	return MessageEvent(*callbackUser(userID, name, language), InMessage{Type: "text", Text: text, TrackingData: trackingData}, messageToken, ts)
}

// MessageEvent returns a "message" callback from sender carrying m, for
// messages other than text (contact, location, picture, …).
func MessageEvent(sender User, m InMessage, messageToken uint64, ts time.Time) []byte {
	silent := false
	return event{Event: "message", Timestamp: ts.UnixMilli(), MessageToken: messageToken, ChatHostname: DefaultChatHostname,
		Sender: &sender, Message: &m, Silent: &silent}.marshal()
}

// ConversationStarted returns a "conversation_started" callback: the user
// opened the chat; context is the deep link's context parameter ("" for
// none) and subscribed whether the user already subscribed. The bot may
// answer it with a welcome message.
func ConversationStarted(userID, name, language, context string, subscribed bool, messageToken uint64, ts time.Time) []byte {
	return event{Event: "conversation_started", Timestamp: ts.UnixMilli(), MessageToken: messageToken, Type: "open",
		Context: context, User: callbackUser(userID, name, language), Subscribed: &subscribed}.marshal()
}

// Subscribed returns a "subscribed" callback for the user.
func Subscribed(userID, name, language string, messageToken uint64, ts time.Time) []byte {
	return event{Event: "subscribed", Timestamp: ts.UnixMilli(), MessageToken: messageToken,
		User: callbackUser(userID, name, language)}.marshal()
}

// Unsubscribed returns an "unsubscribed" callback; it carries a flat
// "user_id", not a user object.
func Unsubscribed(userID string, messageToken uint64, ts time.Time) []byte {
	return event{Event: "unsubscribed", Timestamp: ts.UnixMilli(), MessageToken: messageToken, UserID: userID}.marshal()
}

// Delivered returns a "delivered" callback for the bot's message
// messageToken to userID.
func Delivered(userID string, messageToken uint64, ts time.Time) []byte {
	return event{Event: "delivered", Timestamp: ts.UnixMilli(), MessageToken: messageToken, UserID: userID}.marshal()
}

// Seen returns a "seen" callback for the bot's message messageToken.
func Seen(userID string, messageToken uint64, ts time.Time) []byte {
	return event{Event: "seen", Timestamp: ts.UnixMilli(), MessageToken: messageToken, UserID: userID}.marshal()
}

// Failed returns a "failed" callback for the bot's message messageToken,
// with the reason in "desc".
func Failed(userID string, messageToken uint64, ts time.Time, desc string) []byte {
	return event{Event: "failed", Timestamp: ts.UnixMilli(), MessageToken: messageToken, UserID: userID, Desc: desc}.marshal()
}

// WebhookCallback returns the "webhook" callback Viber sends to check a new
// webhook URL; the bot must answer it with HTTP 200.
func WebhookCallback(messageToken uint64, ts time.Time, chatHostname string) []byte {
	return event{Event: "webhook", Timestamp: ts.UnixMilli(), ChatHostname: chatHostname, MessageToken: messageToken}.marshal()
}

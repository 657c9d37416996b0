// Package telegram is a fake Telegram Bot API server for tests and the local
// dev console. It speaks the real wire format
// (https://core.telegram.org/bots/api#making-requests), so a bot built on
// github.com/mymmrac/telego with telego.WithAPIServer(url) runs against it
// unchanged:
//
//	fake := telegram.New("123456:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
//	srv := httptest.NewServer(fake)
//	defer srv.Close()
//	bot, _ := telego.NewBot(token, telego.WithAPIServer(srv.URL), telego.WithHTTPClient(srv.Client()))
//
// Requests are POST (or GET) {base}/bot<token>/<method>, with parameters in
// the query string, an application/json body, an
// application/x-www-form-urlencoded body or a multipart/form-data body
// (uploads, possibly chunked). Answers are {"ok":true,"result":…} or
// {"ok":false,"error_code":N,"description":"…"} with HTTP status N; a 429
// carries "parameters":{"retry_after":S}. Method names are case-insensitive,
// as on the real server. A JSON body of null (what telego sends for getMe)
// means no parameters.
//
// Supported methods: getMe, sendMessage, sendPhoto, answerCallbackQuery,
// editMessageText, editMessageCaption, editMessageReplyMarkup, deleteMessage,
// setWebhook, deleteWebhook, getWebhookInfo and getUpdates. Any other method
// is answered 404 "Not Found"; a wrong token 401 "Unauthorized".
//
// Parameters are validated like the real API where its answer is known
// (missing chat_id or text, over-long text or caption, bad HTML markup, bad
// inline buttons, unreadable photos). The HTML check follows TDLib's parser for
// tags and attributes but is stricter about '&': Telegram keeps a stray '&'
// literally, the fake rejects it, because the Bot API documentation requires
// every '&' outside an entity to be written &amp;. parse_mode Markdown and
// MarkdownV2 are accepted but not parsed.
//
// Everything the fake answers is recorded: Calls lists the calls with their
// decoded parameters and uploads, Messages shows what the bot sent to a chat
// (edits applied in place, deletions flagged), Photo returns uploaded bytes.
// FailNext and SetLatency inject faults; Enqueue feeds getUpdates, whose long
// polls last at most MaxPollTimeout. PressButton plays a user pressing an
// inline button: it returns the callback query Telegram would send (its
// message as the chat shows it, a photo with its caption), and Toasts lists
// the bot's answers to such queries. A Server is
// safe for concurrent use and bounds its memory: it keeps the last 10 000
// calls, 10 000 messages, 10 000 queued updates and 64 MiB of uploads.
package telegram

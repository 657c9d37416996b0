// Package viber is a fake of the Viber REST Bot API ("chatapi") for tests
// and the local dev console.
//
// A [Server] is an [http.Handler] that speaks the real wire format described
// at https://developers.viber.com/docs/api/rest-bot-api/ and
// https://creators.viber.com/docs/bots-api/: every call is
// POST {base}/<method> with a JSON body and the X-Viber-Auth-Token header,
// and application errors come back as HTTP 200 with a non-zero "status".
// Mount it under any prefix (for example httptest.NewServer(s) and
// VIBER_API_URL=srv.URL+"/pa"): the method is the last path segment.
//
// Implemented methods: send_message, set_webhook, get_account_info and
// get_user_details. send_message validates the request against the
// documented field rules (required fields, lengths, picture URLs, the
// keyboard object, min_api_version) and records what the bot sent; [Server.Messages] returns the chat as a user
// would see it, [Server.Calls] the raw call log.
//
// The package also plays the other direction: [Sign] and the callback
// constructors ([MessageCallback], [ConversationStarted], [Subscribed], …)
// build the signed callbacks Viber POSTs to a bot's webhook, and
// [Server.Deliver] sends one, updating the fake's view of who is subscribed
// and recording the welcome message a bot returns for conversation_started.
//
// The fake is deterministic: message tokens come from a counter starting at
// [FirstMessageToken] (above 2^53, so a client decoding them into float64 is
// caught), and time comes from [Server.Now].
package viber

package telegram

import (
	"slices"
	"testing"
)

func TestParseHTML(t *testing.T) {
	tests := []struct {
		in        string
		wantText  string
		wantEnts  []entity
		wantError string
	}{
		{in: "plain", wantText: "plain"},
		{in: "a &lt;b&gt; &amp; &quot;c&quot; &#39;d&#x27;", wantText: `a <b> & "c" 'd'`},
		{in: "5 > 3", wantText: "5 > 3"},
		{in: "<b>Pay</b> now", wantText: "Pay now", wantEnts: []entity{{Type: "bold", Length: 3}}},
		{in: "<STRONG>x</strong><em>y</em><ins>z</ins><del>w</del>", wantText: "xyzw", wantEnts: []entity{
			{Type: "bold", Length: 1}, {Type: "italic", Offset: 1, Length: 1}, {Type: "underline", Offset: 2, Length: 1}, {Type: "strikethrough", Offset: 3, Length: 1},
		}},
		{in: "💳 <i>x</i>", wantText: "💳 x", wantEnts: []entity{{Type: "italic", Offset: 3, Length: 1}}}, // UTF-16 offsets
		{in: `<a href="https://pay.example.com/i/1?a=1&amp;b=2">open</a>`, wantText: "open", wantEnts: []entity{
			{Type: "text_link", Length: 4, URL: "https://pay.example.com/i/1?a=1&b=2"},
		}},
		{in: `<pre><code class="language-go">x := 1</code></pre>`, wantText: "x := 1", wantEnts: []entity{{Type: "pre", Length: 6, Language: "go"}}},
		{in: `<pre>a<code>b</code></pre>`, wantText: "ab", wantEnts: []entity{{Type: "pre", Length: 2}, {Type: "code", Offset: 1, Length: 1}}},
		{in: `<span class="tg-spoiler">s</span><tg-spoiler>t</tg-spoiler>`, wantText: "st", wantEnts: []entity{{Type: "spoiler", Length: 1}, {Type: "spoiler", Offset: 1, Length: 1}}},
		{in: `<blockquote expandable>q</blockquote>`, wantText: "q", wantEnts: []entity{{Type: "expandable_blockquote", Length: 1}}},
		{in: `<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>`, wantText: "👍", wantEnts: []entity{{Type: "custom_emoji", Length: 2, CustomEmojiID: "5368324170671202286"}}},
		{in: "<b>a<i>b</></>", wantText: "ab", wantEnts: []entity{{Type: "bold", Length: 2}, {Type: "italic", Offset: 1, Length: 1}}},
		{in: "<b></b>x", wantText: "x"},
		{in: "<b>Pay", wantError: `Can't find end tag corresponding to start tag "b"`},
		{in: "<b>x</i>", wantError: `Unmatched end tag at byte offset 4, expected "</b>", found "</i>"`},
		{in: "x</b>", wantError: "Unexpected end tag at byte offset 1"},
		{in: "<b>x</b", wantError: "Unclosed end tag at byte offset 4"},
		{in: "a <user@example.com>", wantError: `Unsupported start tag "user@example.com" at byte offset 2`},
		{in: "<div>x</div>", wantError: `Unsupported start tag "div" at byte offset 0`},
		{in: "1 < 2", wantError: `Unsupported start tag "" at byte offset 2`},
		{in: "x <b", wantError: "Unclosed start tag at byte offset 2"},
		{in: `<a href="x>y</a>`, wantError: "Unclosed start tag at byte offset 0"},
		{in: `<i =x>y</i>`, wantError: `Empty attribute name in the tag "i" at byte offset 0`},
		{in: `<span>x</span>`, wantError: `Tag "span" must have class "tg-spoiler" at byte offset 0`},
		{in: `<tg-emoji>x</tg-emoji>`, wantError: `Tag "tg-emoji" must have attribute "emoji-id" at byte offset 0`},
		{in: "Tom & Jerry", wantError: `unescaped "&" at byte offset 4: write &amp;`},
		{in: "&nbsp;", wantError: `unescaped "&" at byte offset 0: write &amp;`},
		{in: "&#xD800;", wantError: "Text contains invalid Unicode characters after decoding HTML entities, check for unmatched surrogate code units"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			text, ents, err := parseHTML(tt.in)
			if tt.wantError != "" {
				if err == nil || err.Error() != tt.wantError {
					t.Errorf("got error %v, want %q", err, tt.wantError)
				}
				return
			}
			if err != nil {
				t.Fatalf("got error %v, want none", err)
			}
			if text != tt.wantText || !slices.Equal(ents, tt.wantEnts) {
				t.Errorf("got %q %+v, want %q %+v", text, ents, tt.wantText, tt.wantEnts)
			}
		})
	}
}

package viber

import "testing"

func TestKeyboard(t *testing.T) {
	tests := []struct {
		name       string
		keyboard   string
		minAPI     string // min_api_version, "" for none
		wantStatus string
	}{
		{"docs example", kbExample, "", "0"},
		{"minimal", `{"Type":"keyboard","Buttons":[{"ActionBody":"a","Text":"A"}]}`, "", "0"},
		{"widest and tallest button", `{"Type":"keyboard","Buttons":[{"Columns":6,"Rows":2,"ActionBody":"a","Text":"A"}]}`, "", "0"},
		{"text of 250", `{"Type":"keyboard","Buttons":[{"ActionBody":"a","Text":"` + repeat("т", 250) + `"}]}`, "", "0"},
		{"BgColor only", `{"Type":"keyboard","Buttons":[{"ActionBody":"a","BgColor":"#a0B1c2"}]}`, "", "0"},
		{"Image only", `{"Type":"keyboard","Buttons":[{"ActionBody":"a","Image":"https://x.example/b.png"}]}`, "", "0"},
		{"every ActionType", `{"Type":"keyboard","Buttons":[{"ActionType":"reply","ActionBody":"a","Text":"A"},{"ActionType":"open-url","ActionBody":"https://x.example","Text":"B"},{"ActionType":"location-picker","ActionBody":"l","Text":"C"},{"ActionType":"share-phone","ActionBody":"p","Text":"D"},{"ActionType":"none","ActionBody":"n","Text":"E"}]}`, "", "0"},
		{"InputFieldState at api 4", `{"Type":"keyboard","InputFieldState":"minimized","Buttons":[{"ActionBody":"a","Text":"A"}]}`, "4", "0"},

		{"not an object", `[]`, "", "3"},
		{"missing Type", `{"Buttons":[{"ActionBody":"a","Text":"A"}]}`, "", "3"},
		{"wrong Type", `{"Type":"rich_media","Buttons":[{"ActionBody":"a","Text":"A"}]}`, "", "3"},
		{"lower-case type", `{"type":"keyboard","Buttons":[{"ActionBody":"a","Text":"A"}]}`, "", "3"},
		{"missing Buttons", `{"Type":"keyboard"}`, "", "3"},
		{"lower-case buttons", `{"Type":"keyboard","buttons":[{"ActionBody":"a","Text":"A"}]}`, "", "3"},
		{"empty Buttons", `{"Type":"keyboard","Buttons":[]}`, "", "3"},
		{"Buttons not an array", `{"Type":"keyboard","Buttons":{"ActionBody":"a"}}`, "", "3"},
		{"button not an object", `{"Type":"keyboard","Buttons":["a"]}`, "", "3"},
		{"missing ActionBody", `{"Type":"keyboard","Buttons":[{"Text":"A"}]}`, "", "3"},
		{"camel-case actionBody", `{"Type":"keyboard","Buttons":[{"actionBody":"a","Text":"A"}]}`, "", "3"},
		{"Columns 0", `{"Type":"keyboard","Buttons":[{"Columns":0,"ActionBody":"a","Text":"A"}]}`, "", "3"},
		{"Columns 7", `{"Type":"keyboard","Buttons":[{"Columns":7,"ActionBody":"a","Text":"A"}]}`, "", "3"},
		{"Columns as string", `{"Type":"keyboard","Buttons":[{"Columns":"6","ActionBody":"a","Text":"A"}]}`, "", "3"},
		{"Rows 3", `{"Type":"keyboard","Buttons":[{"Rows":3,"ActionBody":"a","Text":"A"}]}`, "", "3"},
		{"unknown ActionType", `{"Type":"keyboard","Buttons":[{"ActionType":"postback","ActionBody":"a","Text":"A"}]}`, "", "3"},
		{"open-url without a URL", `{"Type":"keyboard","Buttons":[{"ActionType":"open-url","ActionBody":"pay","Text":"A"}]}`, "", "3"},
		{"text of 251", `{"Type":"keyboard","Buttons":[{"ActionBody":"a","Text":"` + repeat("т", 251) + `"}]}`, "", "3"},
		{"nothing visible", `{"Type":"keyboard","Buttons":[{"ActionBody":"a","Text":""}]}`, "", "3"},
		{"bad BgColor", `{"Type":"keyboard","Buttons":[{"ActionBody":"a","Text":"A","BgColor":"red"}]}`, "", "3"},
		{"bad keyboard BgColor", `{"Type":"keyboard","BgColor":"#FFF","Buttons":[{"ActionBody":"a","Text":"A"}]}`, "", "3"},
		{"bad TextSize", `{"Type":"keyboard","Buttons":[{"ActionBody":"a","Text":"A","TextSize":"huge"}]}`, "", "3"},
		{"bad OpenURLType", `{"Type":"keyboard","Buttons":[{"ActionBody":"a","Text":"A","OpenURLType":"popup"}]}`, "", "3"},
		{"Silent as string", `{"Type":"keyboard","Buttons":[{"ActionBody":"a","Text":"A","Silent":"true"}]}`, "", "3"},
		{"DefaultHeight as number", `{"Type":"keyboard","DefaultHeight":1,"Buttons":[{"ActionBody":"a","Text":"A"}]}`, "", "3"},
		{"bad InputFieldState", `{"Type":"keyboard","InputFieldState":"none","Buttons":[{"ActionBody":"a","Text":"A"}]}`, "4", "3"},
		{"InputFieldState at api 1", `{"Type":"keyboard","InputFieldState":"hidden","Buttons":[{"ActionBody":"a","Text":"A"}]}`, "", "3"},
		{"ButtonsGroupColumns 7", `{"Type":"keyboard","ButtonsGroupColumns":7,"Buttons":[{"ActionBody":"a","Text":"A"}]}`, "", "3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t)
			body := `{"receiver":"u1","type":"text","text":"x","sender":{"name":"B"},"keyboard":` + tt.keyboard
			if tt.minAPI != "" {
				body += `,"min_api_version":` + tt.minAPI
			}
			a := f.send(t, body+"}")
			if a.status() != tt.wantStatus {
				t.Errorf("status: got %s, want %s (calls %+v)", a.Raw, tt.wantStatus, f.Calls())
			}
			wantMsgs := 0
			if tt.wantStatus == "0" {
				wantMsgs = 1
			}
			if got := len(f.Messages("u1")); got != wantMsgs {
				t.Errorf("Messages: got %d, want %d", got, wantMsgs)
			}
		})
	}
}

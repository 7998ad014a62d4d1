package annotate

import (
	"testing"

	"github.com/bouncenote/bouncenote/internal/lazyre"
)

// TestPatternsCompile compiles every package-level pattern of
// annotate, entity and dsn: they compile on first use (internal/lazyre), so a bad one
// would otherwise only show on the first message that needs it.
func TestPatternsCompile(t *testing.T) {
	if err := lazyre.Compiled(); err != nil {
		t.Fatal(err)
	}
}

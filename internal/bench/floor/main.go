// Command floor is the start-up floor of internal/bench/run: it links
// every library package the bouncenote binary imports (standard library
// and modules, TestFloorImports keeps the list complete) and does
// nothing, so that what it costs is the package init of those libraries
// and the Go runtime alone: what bouncenote pays at every start before
// any code of its own runs (issue 12).
//
//	go run ./internal/bench/floor
package main

import (
	"os"

	_ "bufio"
	_ "bytes"
	_ "context"
	_ "encoding/base64"
	_ "encoding/binary"
	_ "encoding/json"
	_ "errors"
	_ "flag"
	_ "fmt"
	_ "html"
	_ "io"
	_ "io/fs"
	_ "iter"
	_ "log"
	_ "math/bits"
	_ "math/rand/v2"
	_ "mime"
	_ "net"
	_ "net/http"
	_ "net/mail"
	_ "net/textproto"
	_ "os/signal"
	_ "os/user"
	_ "path/filepath"
	_ "reflect"
	_ "regexp"
	_ "regexp/syntax"
	_ "runtime"
	_ "runtime/debug"
	_ "slices"
	_ "sort"
	_ "strconv"
	_ "strings"
	_ "sync"
	_ "sync/atomic"
	_ "syscall"
	_ "text/tabwriter"
	_ "time"
	_ "unicode"
	_ "unicode/utf8"

	_ "github.com/emersion/go-message"
	_ "github.com/emersion/go-message/charset"
	_ "github.com/emersion/go-milter"
	_ "github.com/prometheus/client_golang/prometheus"
	_ "github.com/prometheus/client_golang/prometheus/collectors"
	_ "github.com/prometheus/client_golang/prometheus/promhttp"
	_ "github.com/rivo/uniseg"
	_ "github.com/schollz/progressbar/v3"
	_ "github.com/sirupsen/logrus"
	_ "go.yaml.in/yaml/v3"
	_ "golang.org/x/sys/unix"
	_ "golang.org/x/term"
	_ "golang.org/x/text/encoding/charmap"
	_ "golang.org/x/text/encoding/simplifiedchinese"
)

func main() { os.Stdout.WriteString("floor\n") }

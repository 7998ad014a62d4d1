package formats

import (
	"strings"

	"github.com/bouncenote/bouncenote/dsn"
	"github.com/bouncenote/bouncenote/internal/lazyre"
)

// exchange2007 reads the text of Exchange 2007 to 2019 NDRs when they
// arrive without their delivery-status part: "Delivery has failed to these
// recipients or groups:", the explanation, then under "Diagnostic
// information for administrators:" and "Generating server:" each address
// followed by "#550 5.1.1 RESOLVER.ADR.RecipNotFound; not found ##" (or
// "Remote Server returned '...'"), up to "Original message headers:".
// The labels are localised; the common languages are known. The English
// layout is read first by the exchange format (order 15, which also
// merges it with a delivery-status part); this one takes the others.
type exchange2007 struct{}

func init() { dsn.Register(dsn.OrderText+75, exchange2007{}) }

func (exchange2007) Name() string { return "exchange2007" }

var (
	// ex07StartRe is "Generating server:" in the languages Exchange
	// writes its NDRs in (en, fr, de, es, pt, it, nl, ja).
	ex07StartRe = lazyre.New(`(?i)^\s*(?:Generating server|Serveur de g[ée]n[ée]ration|Generierender Server|Server f[üu]r die Generierung|Servidor de generaci[óo]n|Servidor de gera[çc][ãa]o|Server di generazione|Genererende server|生成サーバー)\s*:`)
	// ex07EndRe is "Original message headers:" in the same languages.
	ex07EndRe  = lazyre.New(`(?i)^\s*(?:Original message headers|En-t[êe]tes de message d'origine|Ursprüngliche Nachrichtenkopfzeilen|Encabezados de mensaje originales|Cabeçalhos de mensagem originais|Intestazioni originali del messaggio|Oorspronkelijke berichtkoppen|元のメッセージ ヘッダー)\s*:\s*$`)
	ex07AddrRe = lazyre.New(`^\s*<?([^\s<>]+@[^\s<>]+?)>?\s*$`)
	// ex07HashRe is the frame of "#550 5.1.1 RESOLVER.ADR.RecipNotFound;
	// not found ##" and of "Remote Server returned '550 ...'".
	ex07HashRe = lazyre.New(`^#|\s*##.*$|^[^']*returned '|'\s*$`)
)

var ex07Layout = &Layout{
	Start: ex07StartRe,
	End:   ex07EndRe,
	Addr: func(line string) (string, string, bool) {
		sm := ex07AddrRe.FindStringSubmatch(line)
		if sm == nil {
			return "", "", false
		}
		return sm[1], "", true
	},
}

func (exchange2007) Parse(m *dsn.Message) (*dsn.Report, bool) {
	body := m.BodyText()
	if !bounceHeader(m) || firstMatchLine(body, ex07StartRe) == "" || firstMatchLine(body, ex07EndRe) == "" {
		return nil, false
	}
	blocks := ex07Layout.Read(body)
	if len(blocks) == 0 {
		return nil, false
	}
	r := &dsn.Report{Recipients: Recipients(blocks, false)}
	for i := range r.Recipients {
		rc := &r.Recipients[i]
		rc.Diagnostic = strings.TrimSpace(ex07HashRe.ReplaceAllString(rc.Diagnostic, ""))
		rc.ReplyCode = LeadingReply([]string{rc.Diagnostic})
	}
	return r, true
}

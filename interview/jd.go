package interview

import (
	"math"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/mockround/mockround/interview/grader"
)

// MaxJobDescriptionChars is the longest job description accepted.
const MaxJobDescriptionChars = 50_000

// JDAnalysis is what a job description says about the round to practise:
// the stack, the technologies named, the level, and how much each area
// should weigh. Names are lower case; area weights sum to 1.
type JDAnalysis struct {
	Stack        string             `json:"stack"`
	Technologies []string           `json:"technologies"`
	Level        string             `json:"level"`
	Areas        map[string]float64 `json:"areas"`
	// stressed are the areas the text dwells on without naming a
	// technology ("monitoring, tracing, on-call, SLOs"), in the order of
	// jdAreaOrder; not part of the JSON the jd command prints.
	stressed []string
}

// jdStressed is how many of an area's words a job description must use
// for the area to count as asked for: one "cloud" or "API" is everywhere.
const jdStressed = 3

// jdAreaOrder is the order stressed areas are listed in.
var jdAreaOrder = []string{"databases", "caching", "apis", "concurrency", "deployment", "observability", "testing", "security", "system-design"}

// technology is a name a job description may use, the canonical name we
// report, and the area it sends weight to.
type technology struct {
	name    string
	area    string
	phrases []grader.Phrase
}

func tech(name, area string, phrasings ...string) technology {
	return technology{name: name, area: area, phrases: grader.Phrases(append([]string{name}, phrasings...)...)}
}

// techOnly is a technology whose name alone is too common a word to count
// ("the rest of the team"): only its phrasings do.
func techOnly(name, area string, phrasings ...string) technology {
	return technology{name: name, area: area, phrases: grader.Phrases(phrasings...)}
}

// jdTechnologies lists what the analysis recognises, in no particular order.
var jdTechnologies = []technology{
	tech("postgresql", "databases", "postgres", "psql", "pg"),
	tech("mysql", "databases", "mariadb", "aurora mysql"),
	tech("sqlite", "databases"),
	tech("mongodb", "databases", "mongo"),
	tech("cassandra", "databases", "scylladb", "scylla"),
	tech("dynamodb", "databases", "dynamo db"),
	tech("elasticsearch", "databases", "opensearch", "elastic search"),
	tech("clickhouse", "databases"),
	tech("sql", "databases", "relational database*", "rdbms"),
	tech("redis", "caching", "valkey"),
	tech("memcached", "caching", "memcache"),
	tech("cdn", "caching", "cloudfront", "fastly", "cloudflare"),
	tech("kafka", "concurrency", "apache kafka", "kafka streams"),
	tech("rabbitmq", "concurrency", "rabbit mq", "amqp"),
	tech("sqs", "concurrency", "amazon sqs", "sns"),
	tech("nats", "concurrency", "jetstream"),
	tech("celery", "concurrency"),
	tech("grpc", "apis", "protobuf", "protocol buffers"),
	tech("graphql", "apis", "apollo"),
	techOnly("rest", "apis", "restful", "rest api*", "rest endpoint*", "rest service*", "rest/json", "openapi", "swagger"),
	tech("websockets", "apis", "websocket", "server sent events"),
	tech("oauth", "security", "oauth2", "openid connect", "oidc", "sso", "saml"),
	tech("kubernetes", "deployment", "k8s", "helm", "eks", "gke", "aks"),
	tech("docker", "deployment", "containers", "containerised", "containerized"),
	tech("terraform", "deployment", "infrastructure as code", "pulumi", "cloudformation"),
	tech("aws", "deployment", "amazon web services", "ec2", "lambda", "s3"),
	tech("gcp", "deployment", "google cloud"),
	tech("azure", "deployment"),
	tech("ci/cd", "deployment", "cicd", "continuous integration", "continuous delivery", "continuous deployment", "github actions", "gitlab ci", "jenkins", "argocd", "argo cd"),
	tech("prometheus", "observability"),
	tech("grafana", "observability"),
	tech("opentelemetry", "observability", "otel", "open telemetry"),
	tech("datadog", "observability", "new relic", "honeycomb"),
	tech("sentry", "observability"),
	tech("microservices", "system-design", "micro services", "service oriented", "soa"),
}

// jdAreaWords send weight to an area without naming a technology.
var jdAreaWords = map[string][]grader.Phrase{
	"databases":     grader.Phrases("database*", "data model*", "schema design", "query optimi*", "indexing", "transactions", "replication", "sharding", "orm"),
	"caching":       grader.Phrases("caching", "cache", "caches", "low latency", "latency sensitive"),
	"apis":          grader.Phrases("api", "apis", "api design", "endpoints", "http", "webhooks", "integrations"),
	"system-design": grader.Phrases("distributed system*", "scalab*", "high availability", "system design", "architecture", "architect*", "high traffic", "millions of users", "event driven", "event-driven", "fault toleran*"),
	"concurrency":   grader.Phrases("concurren*", "asynchronous", "async", "message queue*", "queues", "streaming", "event stream*", "parallel*", "multithread*"),
	"deployment":    grader.Phrases("deploy*", "devops", "cloud", "infrastructure", "release*", "containers"),
	"observability": grader.Phrases("observability", "monitoring", "logging", "tracing", "metrics", "on call", "on-call", "incident*", "sre", "slo", "slos"),
	"testing":       grader.Phrases("testing", "tests", "tdd", "unit test*", "integration test*", "test automation", "quality"),
	"security":      grader.Phrases("security", "secure", "authentication", "authorization", "owasp", "compliance", "gdpr", "pci", "encryption", "iam"),
}

// stackSignals score each stack. Plain "Go" is only counted with a capital
// G (see goWord), as "go" is an English verb.
var stackSignals = map[string][]grader.Phrase{
	"go":     grader.Phrases("golang", "go developer", "go engineer", "goroutine*", "go modules", "gin gonic", "go services", "go microservices"),
	"python": grader.Phrases("python", "django", "flask", "fastapi", "pytest", "asyncio", "pydantic", "sqlalchemy", "celery", "pandas", "python3"),
	"java":   grader.Phrases("java", "spring", "spring boot", "jvm", "hibernate", "maven", "gradle", "kotlin", "jakarta ee", "quarkus", "micronaut"),
	"node":   grader.Phrases("node", "node.js", "nodejs", "node js", "express", "nestjs", "nest js", "typescript", "javascript", "npm", "fastify", "deno", "bun"),
}

var (
	goWord     = regexp.MustCompile(`(?:^|[^\w.])Go(?:\s*\(|\s*/|\s*,|\s+1\.\d+|\s+(?:and|or|developer|engineer|services?|backend|code|programming|language|experience|microservices)\b|\s*\)|\.\s|\s*$)`)
	yearsRe    = regexp.MustCompile(`(?i)(\d{1,2})\s*(?:\+|plus)?\s*(?:-|–|to)?\s*(?:\d{1,2})?\s*\+?\s*(?:years?|yrs?)\b`)
	seniorRe   = regexp.MustCompile(`(?i)\b(senior|sr\.?|staff|principal|lead|tech lead|architect)\b`)
	juniorRe   = regexp.MustCompile(`(?i)\b(junior|jr\.?|entry[- ]level|graduate|intern(ship)?|trainee|new grad)\b`)
	middleRe   = regexp.MustCompile(`(?i)\b(mid[- ]level|middle|intermediate|mid[- ]senior|mid)\b`)
	mentorJrRe = regexp.MustCompile(`(?i)\b(mentor(ing)?|coach(ing)?|support(ing)?|guide|guiding|help(ing)?|grow(ing)?)\s+(\w+\s+)?(junior|jr\.?)`)
	// learnFromRe drops "learn from senior engineers": a junior role's text.
	learnFromRe = regexp.MustCompile(`(?i)\b(learn(ing)?|work(ing)?|pair(ing)?|mentored|supported|guided|coached|alongside)\s+(from|with|by|alongside)?\s*(our\s+|experienced\s+|the\s+)?(senior|staff|lead|principal)`)
	// gradeRe reads ladder titles: Engineer I, II, III.
	gradeRe = regexp.MustCompile(`\b(?:Engineer|Developer|SWE|SDE)\s*(I{1,3}|IV|[1-4])\b`)
	// restRe is REST in capitals: "rest" in lower case is an English word.
	restRe = regexp.MustCompile(`\bREST(?:ful)?\b`)
)

// baseWeights are what every backend screening covers whatever the JD
// says: the pillars weigh most.
var baseWeights = map[string]float64{
	"databases": 1, "caching": 0.8, "apis": 1, "system-design": 0.5,
	"concurrency": 0.3, "deployment": 0.2, "observability": 0.2, "testing": 0.2, "security": 0.2,
}

// AnalyzeJD reads a job description. It never fails: an empty or
// unrelated text gives no stack, no technologies, no level and the default
// area weights.
func AnalyzeJD(text string) JDAnalysis {
	if len(text) > 4*MaxJobDescriptionChars {
		text = text[:4*MaxJobDescriptionChars]
	}
	d := grader.ReadText(text)
	a := JDAnalysis{Technologies: []string{}}

	// Stack: the most mentioned one; ties go to the first mentioned.
	score := map[string]int{}
	firstAt := map[string]int{}
	for stack, ps := range stackSignals {
		for _, p := range ps {
			d.FindAll(p, func(i int) {
				score[stack]++
				if at, ok := firstAt[stack]; !ok || i < at {
					firstAt[stack] = i
				}
			})
		}
	}
	if n := len(goWord.FindAllStringIndex(text, -1)); n > 0 {
		score["go"] += n
		if _, ok := firstAt["go"]; !ok {
			firstAt["go"] = d.Words()
		}
	}
	best := 0
	for _, s := range Stacks {
		if score[s] > best || (score[s] == best && best > 0 && firstAt[s] < firstAt[a.Stack]) {
			best, a.Stack = score[s], s
		}
	}

	// Technologies, in the order they first appear, and their weight.
	weights := map[string]float64{}
	for k, v := range baseWeights {
		weights[k] = v
	}
	if a.Stack != "" {
		weights[a.Stack] = 1.2
	}
	type found struct {
		name string
		at   int
	}
	var techs []found
	for _, t := range jdTechnologies {
		at := -1
		n := 0
		if t.name == "rest" {
			if loc := restRe.FindStringIndex(text); loc != nil {
				n, at = 1, grader.ReadText(text[:loc[0]]).Words()
			}
		}
		for _, p := range t.phrases {
			d.FindAll(p, func(i int) {
				n++
				if at < 0 || i < at {
					at = i
				}
			})
		}
		if n > 0 {
			techs = append(techs, found{t.name, at})
			weights[t.area] += 0.4 + 0.1*math.Min(float64(n-1), 3)
		}
	}
	sort.SliceStable(techs, func(i, j int) bool { return techs[i].at < techs[j].at })
	for _, f := range techs {
		a.Technologies = append(a.Technologies, f.name)
	}
	for _, area := range jdAreaOrder {
		n := 0
		for _, p := range jdAreaWords[area] {
			d.FindAll(p, func(int) { n++ })
		}
		weights[area] += 0.15 * math.Min(float64(n), 4)
		if n >= jdStressed {
			a.stressed = append(a.stressed, area)
		}
	}

	a.Level = jdLevel(text)
	if a.Level == "senior" {
		weights["system-design"] += 0.5
	}
	a.Areas = normalise(weights)
	return a
}

// jdLevel finds the level from the title words and the years asked for.
// The first level word (usually the title's) counts double.
func jdLevel(text string) string {
	cleaned := learnFromRe.ReplaceAllString(mentorJrRe.ReplaceAllString(text, " "), " ")
	if m := gradeRe.FindStringSubmatch(cleaned); m != nil {
		switch m[1] {
		case "I", "1":
			return "junior"
		case "II", "2":
			return "middle"
		default:
			return "senior"
		}
	}
	senior := len(seniorRe.FindAllString(cleaned, -1))
	junior := len(juniorRe.FindAllString(cleaned, -1))
	middle := len(middleRe.FindAllString(cleaned, -1))
	first := func(re *regexp.Regexp) int {
		if loc := re.FindStringIndex(cleaned); loc != nil {
			return loc[0]
		}
		return len(cleaned) + 1
	}
	switch fs, fj, fm := first(seniorRe), first(juniorRe), first(middleRe); {
	case fs < fj && fs < fm:
		senior += 1
	case fj < fs && fj < fm:
		junior += 1
	case fm < fs && fm < fj:
		middle += 1
	}
	years := -1
	for _, m := range yearsRe.FindAllStringSubmatch(text, -1) {
		if n, err := strconv.Atoi(m[1]); err == nil && n <= 30 && (years < 0 || n > years) {
			years = n
		}
	}
	switch {
	case senior > 0 && senior >= junior && senior >= middle:
		return "senior"
	case junior > 0 && junior >= middle:
		return "junior"
	case middle > 0:
		return "middle"
	case years >= 5:
		return "senior"
	case years >= 2:
		return "middle"
	case years >= 0:
		return "junior"
	}
	return ""
}

// normalise scales weights to sum to 1, each rounded to 3 decimals, with
// the rounding error given to the largest so the sum stays exactly 1.
func normalise(w map[string]float64) map[string]float64 {
	total := 0.0
	keys := make([]string, 0, len(w))
	for k, v := range w {
		if v > 0 {
			total += v
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	out := make(map[string]float64, len(keys))
	if total == 0 {
		return out
	}
	sum, largest := 0.0, ""
	for _, k := range keys {
		v := math.Round(w[k]/total*1000) / 1000
		out[k] = v
		sum += v
		if largest == "" || v > out[largest] {
			largest = k
		}
	}
	out[largest] = math.Round((out[largest]+1-sum)*1000) / 1000
	return out
}

// Languages are the areas that are a stack's own language.
var Languages = map[string]bool{"python": true, "go": true, "java": true, "node": true}

// hasTechnology reports whether a question mentions a technology by name
// (in its prompt, skill or key points), to weight rounds towards a JD.
func hasTechnology(q *grader.Question, name string) bool {
	for _, t := range jdTechnologies {
		if t.name != name {
			continue
		}
		for _, p := range t.phrases {
			if q.Mentions(p) {
				return true
			}
		}
	}
	return strings.Contains(strings.ToLower(q.Prompt), name)
}

// NamedAreas are the areas of the technologies the analysis found (Kafka:
// concurrency; Kubernetes: deployment), in the order found, then the areas
// the text dwells on without a technology (observability from
// "monitoring, tracing, on-call"), each once. A screening covers them.
func (a JDAnalysis) NamedAreas() []string {
	var out []string
	for _, name := range a.Technologies {
		if area := TechnologyArea(name); area != "" && !slices.Contains(out, area) {
			out = append(out, area)
		}
	}
	for _, area := range a.stressed {
		if !slices.Contains(out, area) {
			out = append(out, area)
		}
	}
	return out
}

// TechnologyArea is the area a technology belongs to, or "" for a name
// the analysis does not know.
func TechnologyArea(name string) string {
	for _, t := range jdTechnologies {
		if t.name == name {
			return t.area
		}
	}
	return ""
}

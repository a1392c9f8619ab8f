package grader

// The grader's general vocabulary: words that signal reasoning, tradeoffs,
// specifics, filler and hedging in any answer, whatever the question. A
// question's own rubric adds what is specific to it.

var (
	// reasoningPhrases make a sentence an explanation rather than a claim.
	reasoningPhrases = compileAll(
		"because", "since", "so that", "which means", "that means", "this means", "means that", "therefore",
		"thus", "hence", "as a result", "that's why", "which is why", "the reason", "due to", "in order to",
		"otherwise", "leads to", "leading to", "causes", "caused by", "results in", "so the", "so it", "so we",
		"so i", "so you", "so a", "so each", "so every", "so that's", "so they", "so there", "so no", "so one",
		"given that", "which lets", "which keeps", "that way", "this way", "to avoid", "to prevent",
		"reasoning", "the point is", "the idea is", "the goal is", "it depends on", "depends on",
		"if the", "if you", "if we", "if it", "when the", "whenever", "unless",
		"means", "prevents", "avoids", "suggests", "keeps the", "stops the",
	)

	// strongTradeoffPhrases name a tradeoff explicitly.
	strongTradeoffPhrases = compileAll(
		"tradeoff", "trade off", "trade-off", "the cost is", "the cost of", "costs you", "it costs", "at the cost",
		"downside", "drawback", "the price", "at the expense", "in exchange", "you give up", "we give up",
		"you lose", "we lose", "alternative", "pros and cons", "worth it", "not worth", "worth the",
		"the catch", "the risk is", "the tension", "on the other hand", "in return", "we accept", "i accept",
		"accepting", "you pay", "we pay", "penalty", "balance between", "balanced against", "versus",
		"the flip side", "compromise", "i'd rather", "i would rather", "we'd rather", "instead of",
		"limitation", "the problem with", "breaks down", "is fine for", "not fine for", "fine for",
		"makes sense when", "only when", "only if", "unless", "whereas", "comes at the cost", "which costs",
		"but you lose", "but we lose", "the trade is", "at the price of", "in exchange for", "the price is",
		"pay for it", "paid for with", "the other side", "as long as", "provided that",
		"its costs", "the costs", "adds cost", "add cost", "extra cost", "at a cost", "costs more", "cost more",
		// a cost accepted: "a duplicate is acceptable for a welcome email"
		"acceptable", "can live with", "we can tolerate", "good enough for", "is tolerable",
		// a choice made between options: "I weighed a forward fix against
		// restoring the previous config"
		"weighed", "weighing", "weigh the", "opted for", "i chose", "we chose",
	)

	// weakTradeoffPhrases contrast without naming a cost.
	weakTradeoffPhrases = compileAll(
		"but", "however", "while", "although", "though", "instead", "vs", "rather than",
		"overhead", "cost", "slower", "more complex", "complexity", "expensive", "risk",
	)

	// examplePhrases introduce a concrete example.
	examplePhrases = compileAll(
		"for example", "for instance", "e.g", "such as", "say a", "say an", "say the", "say we", "say you",
		"like a", "like the", "in my last", "at my last", "at my previous", "in my previous", "we had",
		"in production", "last year", "one time", "imagine", "think of",
	)

	// fillerPhrases add words without content.
	fillerPhrases = compileAll(
		"um", "uh", "umm", "uhh", "erm", "hmm", "you know", "basically", "kind of", "sort of", "i mean",
		"literally", "or something", "and stuff", "things like that", "and so on", "honestly", "anyway",
		"stuff like that", "like i said", "whatever", "yeah so", "so yeah", "okay so", "right so",
		"let me think", "let's see", "how do i put it", "at the end of the day", "to be honest",
	)

	// hedgePhrases weaken a claim.
	hedgePhrases = compileAll(
		"i think", "i guess", "maybe", "probably", "perhaps", "not sure", "i believe", "i suppose",
		"possibly", "might be", "could be", "i'm not certain", "if i remember", "i'd say", "sort of", "kind of",
	)

	// dontKnowPhrases mark an answer that declines to answer.
	dontKnowPhrases = compileAll(
		"i don't know", "i do not know", "i dont know", "no idea", "idk", "dunno", "no clue", "i have no idea",
		"i can't remember", "i cannot remember", "i've never heard", "never heard of it", "i'm not familiar",
		"i am not familiar", "i'm not sure", "i am not sure", "im not sure", "not really sure", "i'm not certain",
		"nothing comes to mind", "i can't think of", "i cannot think of", "skip this", "pass on this",
		"i haven't come across", "i've never come across", "i haven't had to", "i've never had to",
		"i have no experience", "i don't remember", "i do not remember", "i've never used", "i haven't used",
		"not something i've", "beyond me", "i'd have to look", "i would have to look", "i'd have to read up",
		"i would have to read up", "i'm not confident here", "i'm not confident about", "i couldn't explain",
		"i couldn't give you", "i can't explain", "i cannot explain", "i wouldn't know",
		"i don't have a good example", "i don't have an example", "i can't think of a time",
		"i haven't worked with", "i haven't really worked with", "i've never worked with", "i've never really worked with",
		"i haven't really used", "i've never really used", "i haven't set up", "i haven't really set up",
		"i've never set up", "i haven't done that", "i've never done that", "i haven't really done",
		"i couldn't tell you", "i could not tell you", "i can't tell you", "i cannot tell you",
		"i haven't dealt with", "i haven't really dealt with", "i've never dealt with", "i've never really dealt with",
		"i couldn't say", "i could not say", "i can't say", "i cannot say", "i wouldn't be able to say",
		"i only know", "i only really know",
	)

	// guessPhrases say that what follows is a guess: beside an admission
	// of not knowing, the sentence they are in asserts nothing.
	guessPhrases = compileAll(
		"i'd guess", "i would guess", "i'd just guess", "my guess is", "my guess would be",
		"if i had to guess", "at a guess", "i'm guessing", "i am guessing", "just a guess",
	)

	// waiverPhrases wave a risk or a step away: "there's no need to track
	// event IDs", "it's completely safe", "that can't happen". Said of
	// something the rubric cannot check, in a short answer, they are how
	// a confident error rests its one false claim (waiverWords).
	waiverPhrases = compileAll(
		"no need to", "no need for", "don't need to", "doesn't need to", "never need to", "never needs to",
		"don't have to", "doesn't have to", "never have to", "don't bother", "no point in",
		"is safe", "it's safe", "that's safe", "are safe", "completely safe", "perfectly safe", "totally safe",
		"always safe", "can't happen", "cannot happen", "can never happen", "never happens",
		"fully solves", "fully solved", "completely solves", "completely solved", "fully eliminates",
		"completely eliminates", "fully prevents", "completely prevents", "fully protects", "fully handles",
		"nothing to worry", "no risk", "no gap", "nothing can go wrong", "non-issue", "not an issue",
		"isn't an issue", "not a problem", "isn't a problem", "no big deal", "a wash", "low-risk", "low risk",
		"is guaranteed",
	)

	// pitchPhrases sell a claim as a correction of what others think or
	// as a bonus ("what people miss is…", "the nice thing is…", "the
	// cleanest fix is…"). Said of something the rubric cannot check, in a
	// short answer, they too are how a confident error brings in its one
	// false claim (waiverWords).
	pitchPhrases = compileAll(
		"people overthink", "people overdo", "one thing people", "what people miss", "most people don't realise",
		"most people don't realize", "the key trick", "the trick is", "the secret is", "the nice thing is",
		"a nice consequence", "the nice part", "the good news is", "a big advantage", "the beauty of",
		"the best practice is", "the rule is", "the simplest fix", "the cleanest fix", "the easy fix", "the real fix",
		"a nice property", "the nice property",
	)

	// dontKnowAlonePhrases decline only when they are the whole answer:
	// "pass" is also a verb ("pass data over channels").
	dontKnowAlonePhrases = compileAll("pass", "skip", "next", "next question")

	// buzzPhrases praise a design without saying how it works: many of
	// them around a list of names make a keyword salad.
	buzzPhrases = compileAll(
		"best practice", "best practices", "industry standard", "scalable", "highly available", "resilient",
		"resilience", "cloud-native", "cloud native", "robust", "holistic", "game-changer", "game changer",
		"leverage", "leveraging", "seamless", "seamlessly", "production-ready", "proactively",
		"defense in depth", "defence in depth", "performant", "come into play", "comes into play",
		"play a role", "plays a role", "part of the toolkit", "have their place", "has its place",
		"rounds it out", "full visibility",
		"future-proof", "enterprise-grade", "world-class", "state of the art", "synergy", "paradigm",
		"empower", "unlock", "mission critical", "cutting-edge",
		"growth mindset", "growth opportunities", "continuous improvement", "secure and compliant",
		"reliably at scale", "massively", "all play", "key role", "crucial role", "essential role",
		// framing that stands in for an explanation
		"is all about", "it's all about", "pillar", "pillars", "integrate nicely", "integrates nicely",
		"the whole stack", "across the board", "are key",
		// praise of qualities rather than how they are reached
		"scalability", "agility", "governance", "traceability", "maintainability", "optimal",
		"idiomatic", "streamlined", "ensures", "high availability", "fault tolerance", "at scale",
	)

	// absolutes are the sweeping claims wrong answers are built on; right
	// answers qualify their claims instead.
	absolutePhrases = compileAll(
		"always", "never", "forever", "automatically", "completely", "perfect", "perfectly", "guaranteed",
		"guarantees", "no need", "don't need", "doesn't need", "doesn't matter", "don't matter", "only matters",
		"waste of", "pointless", "useless", "the same thing", "basically the same", "just as", "every time",
		"impossible", "can't fail", "cannot fail", "100%", "no downside", "no downsides", "nothing else",
		"all you need", "only thing", "whatever you do", "no matter what", "in every case", "any case",
		"for everything", "every column", "every table", "to be safe", "in all cases", "can't happen",
	)

	// technologies are names that make an answer concrete.
	technologies = stemSet(
		"redis", "memcached", "postgres", "postgresql", "mysql", "mariadb", "sqlite", "oracle", "mongodb", "mongo",
		"cassandra", "dynamodb", "elasticsearch", "opensearch", "kafka", "rabbitmq", "sqs", "sns", "nats", "pulsar",
		"kinesis", "s3", "gcs", "cdn", "cloudfront", "nginx", "envoy", "haproxy", "kubernetes", "k8s", "docker",
		"helm", "terraform", "grpc", "graphql", "protobuf", "json", "jwt", "oauth", "oauth2", "oidc", "mtls", "tls",
		"prometheus", "grafana", "jaeger", "opentelemetry", "otel", "datadog", "sentry", "pprof", "jfr", "async-profiler",
		"gunicorn", "uvicorn", "django", "flask", "fastapi", "celery", "asyncio", "multiprocessing", "threadpoolexecutor",
		"tracemalloc", "objgraph", "pyspy", "py-spy", "memray", "spring", "hibernate", "jpa", "jdbc", "hikaricp",
		"netty", "tomcat", "jetty", "g1", "zgc", "shenandoah", "jvm", "jmh", "jmap", "jcmd", "express", "fastify",
		"nestjs", "pm2", "npm", "pnpm", "yarn", "pip", "poetry", "uv", "wheel", "venv", "maven", "gradle",
		"errgroup", "goroutine", "singleflight", "pgbouncer", "debezium", "lua", "bcrypt", "argon2", "scrypt",
		"vault", "etcd", "zookeeper", "consul", "istio", "linkerd", "lambda", "ec2", "rds", "aurora", "bigquery",
		"snowflake", "clickhouse", "timescaledb", "spanner", "cockroachdb", "vitess", "citus", "explain", "analyze",
		"btree", "gin", "gist", "brin", "wal", "mvcc", "lru", "lfu", "ttl", "p99", "p95", "p50", "sla", "slo",
		"websocket", "websockets", "sse", "http2", "http", "quic", "testcontainers", "pytest", "junit", "jest",
		"pact", "k6", "locust", "gatling", "wrk", "hyperfine", "github", "gitlab", "jenkins", "argocd",
	)

	// units measure: a number word before one is a measurement
	// (measured), as "200 ms" is.
	units = map[string]bool{
		"ms": true, "millisecond": true, "milliseconds": true, "second": true, "seconds": true, "minute": true,
		"minutes": true, "hour": true, "hours": true, "day": true, "days": true, "week": true, "weeks": true,
		"byte": true, "bytes": true, "kilobytes": true, "kb": true, "megabytes": true, "mb": true, "gigabytes": true,
		"gb": true, "terabytes": true, "tb": true, "percent": true, "requests": true, "rows": true, "users": true,
		"connections": true, "messages": true, "events": true, "records": true, "writes": true, "reads": true,
	}

	// numberWords count as numbers.
	numberWords = stemSet(
		"two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "twenty", "thirty", "fifty",
		"hundred", "hundreds", "thousand", "thousands", "million", "millions", "billion", "dozen", "half", "double",
		"triple", "twice", "tenfold", "percent",
	)

	// functionWords may differ or be missing where a claim phrasing is
	// matched (findLoose): articles, prepositions, pronouns and auxiliary
	// verbs. What carries the claim is never among them: negations and
	// quantifiers (no, not, only, all, one), the copula of an identity
	// ("a trace is a log line"), modals (can, should, must) and "just".
	functionWords = stemSet(
		"a", "an", "the", "of", "to", "in", "on", "at", "by", "for", "with", "from", "into", "onto", "as",
		"it", "its", "it's", "this", "that", "these", "those", "will", "would", "do", "does", "did",
		"have", "has", "had", "really", "also", "very", "actually", "then", "you", "we", "they", "i",
		"your", "our", "their",
	)

	// copulas state an identity: nothing but function words may stand
	// between a claim's subject and its copula.
	copulas = stemSet("is", "are", "was", "were", "be")

	// stopwords carry no topic.
	stopwords = stemSet(
		"a", "an", "the", "and", "or", "but", "if", "then", "so", "of", "to", "in", "on", "at", "by", "for", "with",
		"from", "as", "is", "are", "was", "were", "be", "been", "being", "it", "its", "it's", "this", "that", "these",
		"those", "i", "i'd", "i'm", "i've", "i'll", "we", "we'd", "we're", "you", "your", "they", "them", "their",
		"he", "she", "my", "our", "me", "us", "do", "does", "did", "have", "has", "had", "will", "would", "can",
		"could", "should", "may", "might", "must", "not", "no", "yes", "yeah", "just", "also", "very", "really",
		"more", "most", "less", "some", "any", "all", "each", "every", "other", "than", "there", "here", "what",
		"which", "who", "when", "where", "why", "how", "about", "into", "out", "up", "down", "over", "under",
		"again", "only", "own", "same", "too", "because", "while", "like", "one", "get", "got", "use", "using",
		"used", "make", "makes", "way", "thing", "things", "lot", "lots", "well", "much", "many", "such",
		"don't", "doesn't", "isn't", "can't", "won't", "that's", "there's", "what's", "let's", "it'll",
		"need", "want", "go", "going", "put", "see", "say", "know", "think", "first", "then", "after", "before",
		"um", "uh", "okay", "ok", "right", "actually", "basically", "kind", "sort", "mean", "stuff",
	)
)

func compileAll(ps ...string) []phrase {
	out := make([]phrase, len(ps))
	for i, p := range ps {
		out[i] = compilePhrase(p)
		if len(out[i].words) > 0 {
			lexiconTexts[&out[i].words[0]] = p
		}
	}
	return out
}

// lexiconTexts holds each lexicon phrase's text, by its first word, for
// messages and tests. Bank phrasings keep no text: their questions hold
// it, and a bank compiles over sixty thousand of them.
var lexiconTexts = map[*phraseWord]string{}

// lexiconText returns a lexicon phrase's text.
func lexiconText(p phrase) string {
	if len(p.words) == 0 {
		return ""
	}
	return lexiconTexts[&p.words[0]]
}

func stemSet(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[stem(w)] = true
	}
	return m
}

// The words of claims: what negates, refutes, reports, ends a scope,
// corrects, addresses the grader, separates list items, or makes a
// clause a claim. The mechanisms that use them are in claims.go,
// match.go, clean.go and conversation.go.

// negationTriggers are grammatical negations: they deny what follows in
// their clause. Used for key points, where a denial is a contradiction.
var negationTriggers = map[string]bool{
	"not": true, "no": true, "never": true, "nothing": true, "none": true, "neither": true, "nor": true,
	"without": true, "cannot": true, "don't": true, "doesn't": true, "didn't": true, "isn't": true,
	"aren't": true, "wasn't": true, "weren't": true, "can't": true, "won't": true, "wouldn't": true,
	"shouldn't": true, "couldn't": true, "haven't": true, "hasn't": true, "needn't": true, "mustn't": true,
	"nobody": true, "dont": true, "doesnt": true, "isnt": true, "cant": true, "wont": true, "hardly": true,
}

// refutationTriggers also refute a misconception named after them ("a
// common myth is that…", "avoid…", "unlike…"): used for red flags and
// contradictions, where naming the wrong idea to reject it is right.
var refutationTriggers = map[string]bool{
	"myth": true, "wrong": true, "misconception": true, "false": true, "avoid": true, "mistake": true,
	"untrue": true, "incorrect": true, "unlike": true, "opposed": true, "naive": true, "naively": true,
	"prevent": true, "prevents": true, "stop": true, "stops": true, "pitfall": true, "trap": true,
	"meaningless": true, "misleading": true, "bad": true, "danger": true, "dangerous": true, "risk": true,
	// "people wrongly assume the GIL makes their code thread-safe"
	"wrongly": true, "mistakenly": true, "incorrectly": true, "falsely": true, "erroneously": true,
}

// thirdParties are the people a belief is put on when it is not the
// candidate's: "many developers still think…", "teams often assume…".
var thirdParties = map[string]bool{
	"people": true, "many": true, "some": true, "most": true, "others": true, "everyone": true, "folks": true,
	"developers": true, "engineers": true, "teams": true, "juniors": true, "beginners": true,
	"newcomers": true, "candidates": true, "devs": true, "programmers": true,
}

// beliefVerbs report what someone believes.
var beliefVerbs = map[string]bool{
	"think": true, "thinks": true, "believe": true, "believes": true, "assume": true, "assumes": true,
	"expect": true, "expects": true, "claim": true, "claims": true, "say": true, "says": true,
	"imagine": true, "imagines": true, "treat": true, "treats": true, "confuse": true, "confuses": true,
}

// prepositions before a participle make it part of a noun phrase: "errcheck
// for ignored errors" names a kind of error, it does not ignore one.
var prepositions = map[string]bool{
	"for": true, "of": true, "about": true, "against": true, "on": true, "over": true, "from": true,
	"with": true, "into": true, "catches": true, "flags": true, "finds": true, "detects": true,
}

// scopeTerminators end a negation's scope inside a clause.
var scopeTerminators = map[string]bool{
	"but": true, "however": true, "although": true, "though": true, "so": true, "because": true,
	"which": true, "since": true, "while": true, "whereas": true, "yet": true, "except": true,
	"until": true, "unless": true, "then": true, "instead": true, "actually": true, "rather": true,
	"if": true, "when": true, "otherwise": true, "therefore": true,
}

// pseudoNegations look like negations but deny nothing: "not only",
// "no matter", "nothing but", "no doubt".
var pseudoNegations = map[[2]string]bool{
	{"not", "only"}: true, {"not", "just"}: true, {"no", "matter"}: true, {"nothing", "but"}: true,
	{"no", "doubt"}: true, {"not", "necessarily"}: true,
	// "without it the spike repeats": the negation takes only the pronoun.
	{"without", "it"}: true, {"without", "this"}: true, {"without", "that"}: true, {"without", "them"}: true,
	{"without", "one"}: true, {"without", "these"}: true, {"without", "those"}: true,
}

// directiveVerbs direct someone or something: "tell the browser not to…".
var directiveVerbs = map[string]bool{
	"tell": true, "tells": true, "telling": true, "ask": true, "asks": true, "instruct": true, "instructs": true,
	"configure": true, "configures": true, "set": true, "sets": true, "force": true, "forces": true,
	"train": true, "teach": true, "remind": true, "warn": true, "warns": true,
}

// firstPersonActors and actionVerbs open a sentence that proposes an
// action ("I'd add…", "we keep…", "write the job…"): a negation in its
// purpose clause states what the action prevents.
var firstPersonActors = map[string]bool{
	"i": true, "we": true, "i'd": true, "we'd": true, "i'll": true, "we'll": true, "i'm": true, "we're": true,
}

// frames open a sentence before its verb: "Finally, use…".
var frames = map[string]bool{
	"finally": true, "also": true, "then": true, "first": true, "second": true, "third": true, "next": true,
	"lastly": true, "additionally": true, "otherwise": true, "here": true, "instead": true, "so": true,
}

var actionVerbs = map[string]bool{
	"write": true, "use": true, "add": true, "make": true, "put": true, "run": true, "keep": true,
	"store": true, "set": true, "wrap": true, "send": true, "give": true, "cache": true, "retry": true,
	"lock": true, "split": true, "move": true, "batch": true, "mark": true, "record": true, "log": true,
	"pin": true, "limit": true, "cap": true, "return": true, "check": true, "validate": true, "test": true,
	"build": true, "deploy": true, "version": true, "sign": true, "hash": true, "rotate": true,
	"index": true, "partition": true, "pass": true, "propagate": true, "close": true, "cancel": true,
	"bound": true, "drain": true, "enqueue": true, "claim": true, "dedupe": true, "replace": true,
}

// reportedPhrases put a claim in someone else's mouth or in a hypothetical.
var reportedPhrases = compileAll(
	"people think", "people believe", "people assume", "people say", "some say", "some think",
	"you could argue", "one could argue", "you might think", "one might think", "it's tempting to",
	"it is tempting to", "a common mistake", "common misconception", "the myth", "a myth",
	"contrary to", "used to think", "i used to believe", "the naive", "naively", "in theory",
	"claims that", "they claim", "juniors often", "many assume", "it's easy to think",
	// An option weighed and set aside is not what the candidate claims.
	"the alternative was", "the alternative is", "the alternative would be", "we considered",
	"i considered",
	// A complaint reported is not the claim the candidate stands by.
	"complaining that", "complained that", "complain that",
)

// setAside and endorsements make a relative clause that rejects what
// comes before it: "which we ruled out", "which I didn't recommend".
// anaphoricOpeners follow "Without" at the start of a counterfactual
// sentence: "Without it, …".
var (
	setAside         = map[string]bool{"rejected": true, "ruled": true, "vetoed": true, "discarded": true, "dropped": true, "abandoned": true, "avoided": true, "declined": true}
	endorsements     = map[string]bool{"recommend": true, "suggest": true, "propose": true, "advise": true, "want": true, "choose": true, "pick": true, "support": true, "endorse": true, "like": true}
	anaphoricOpeners = map[string]bool{"it": true, "this": true, "that": true, "them": true, "these": true, "those": true, "one": true, "such": true}
)

// coordinators join the things a comparison question sets side by side.
var coordinators = map[string]bool{"vs": true, "versus": true, "and": true, "or": true}

// framers before "about" make a framing, not a claim: "it's all about",
// "is really about", "think about".
var framers = map[string]bool{"all": true, "really": true, "mostly": true, "think": true, "thinking": true, "just": true}

// settingPrepositions open a phrase that says where a claim holds, and
// clauseSubjects start the claim after it: "In Kubernetes you…".
var (
	settingPrepositions = map[string]bool{"in": true, "on": true, "with": true, "inside": true, "within": true, "under": true, "for": true}
	clauseSubjects      = map[string]bool{"you": true, "we": true, "i": true, "they": true, "it": true, "you'd": true, "we'd": true, "i'd": true}
)

// postRefutation are words after a misconception that reject it:
// "averaging p99s is meaningless", "a cache per pod doesn't work".
var postRefutation = map[string]bool{
	"meaningless": true, "wrong": true, "myth": true, "misleading": true, "false": true, "incorrect": true,
	"invalid": true, "nonsense": true, "bogus": true, "broken": true, "useless": true, "pointless": true,
	"mistake": true, "untrue": true, "misconception": true, "garbage": true, "fallacy": true,
	"backfires": true, "backfire": true, "counterproductive": true,
}

// doesNothing are the verbs of "does nothing", "buys nothing", "fixes
// nothing" after a misconception: they reject it.
var doesNothing = map[string]bool{
	"does": true, "do": true, "did": true, "achieves": true, "buys": true, "changes": true, "fixes": true,
	"solves": true, "helps": true, "adds": true,
}

// graderAddress are words that address whoever scores the answer rather
// than the interviewer's question.
var graderAddress = newWordList(append([]string{
	"rubric", "hiring panel", "automated grader", "automated grading", "system:", "previous instructions",
	"the candidate", "this candidate", "the candidate's", "the answer above", "the response above", "this answer", "this response",
}, graderNameWords...)...)

// graderNameWords name the grader itself, not the answer or the
// candidate: a label with one ("Evaluator instructions:", "Note to the
// scoring model:") opens text for the grader whatever it goes on to ask.
var graderNameWords = []string{
	"grader", "graders", "grading", "evaluator", "evaluators", "scorer", "llm", "language model",
	"scoring model", "scoring system", "evaluation model", "grading model",
}

var graderNames = newWordList(graderNameWords...)

// graderDirectives are what such text asks for.
var graderDirectives = newWordList(
	"ignore", "disregard", "assign", "award", "full marks", "full credit", "score", "overall", "rate this",
	"rate it", "grade", "mark all", "mark this", "satisfied", "considered", "passed", "meets every", "output",
)

// correctionPhrases mark an answer that takes back what was said before.
var correctionPhrases = compileAll(
	"i was wrong", "that was wrong", "i got that wrong", "i misspoke", "let me correct", "to correct",
	"correction", "i take that back", "take back", "scratch that", "i stand corrected", "i mixed up",
	"i mixed that up", "on second thought", "i had it backwards", "i had that backwards", "the opposite",
)

// listBreaks separate the items of an enumeration, with commas.
var listBreaks = map[string]bool{"and": true, "or": true, "like": true, "including": true, "plus": true, "e.g": true, "eg": true}

const (
	// maxItemWords is the longest list item: "read replicas", "LFU eviction".
	maxItemWords = 4
	// namedRun is how many short items in a row make a phrase one item of
	// a list; listItems how many make a sentence a list of names.
	namedRun  = 3
	listItems = 3
)

// predicateWords make a clause a claim even when every other word in it
// is small: a subject or a verb.
var predicateWords = map[string]bool{
	"i": true, "we": true, "you": true, "they": true, "it": true, "i'd": true, "we'd": true, "you'd": true,
	"they'd": true, "it's": true, "i'll": true, "we'll": true, "i'm": true, "we're": true, "use": true,
	"make": true, "get": true, "put": true, "go": true, "do": true, "does": true, "need": true, "keep": true,
	"add": true, "run": true, "set": true, "let": true, "want": true, "have": true, "has": true, "will": true,
	"would": true, "should": true, "can": true, "must": true,
}

// gapBreakers change a claim when they stand inside it.
var gapBreakers = map[string]bool{
	"minus": true, "than": true, "less": true, "fewer": true, "only": true, "except": true, "per": true,
	"almost": true, "nearly": true, "rarely": true, "seldom": true, "barely": true,
	// "start the container once per test run" is not "start a container
	// per test": a count inside a claim changes it.
	"once": true, "twice": true,
	// "out of order", "off-peak", "non-blocking": a particle that turns the
	// next word around.
	"out": true, "off": true, "non": true, "un": true, "anti": true,
	// "read-through or cache-aside" is not "read-through is cache-aside";
	// "in a different order" or "in any order" is not "in order".
	"or": true, "and": true, "nor": true, "versus": true, "vs": true,
	"different": true, "other": true, "another": true, "wrong": true, "random": true, "arbitrary": true, "any": true,
}

// negativeSense words make a key point one that is stated as a negation
// or a contrast.
var negativeSense = map[string]bool{
	"avoid": true, "avoids": true, "avoiding": true, "prevent": true, "prevents": true, "instead": true,
	"rather": true, "unlike": true, "contrast": true, "contrasts": true, "versus": true, "vs": true,
	"alternative": true,
}

// lossWords open a key point that states a loss: "you lose constraints,
// foreign keys and transactions" is made by "there are no foreign keys".
var lossWords = map[string]bool{"lose": true, "loses": true, "losing": true, "lack": true, "lacks": true, "without": true}

// injectionPhrases are an answer talking to the grader instead of the
// interviewer.
var injectionPhrases = compileAll(
	"ignore the rubric", "ignore your rubric", "ignore previous instructions", "ignore all previous",
	"ignore your instructions", "ignore the instructions", "disregard the rubric", "disregard previous",
	"give this answer a 10", "give me a 10", "give me 10", "score this 10", "grade this 10", "rate this 10",
	"full marks", "you are a grader", "as the grader", "system prompt", "you must output", "output a score of",
)

// orderPhrases show an answer organised in steps.
var orderPhrases = compileAll("first", "firstly", "second", "secondly", "third", "then", "finally", "lastly", "next", "step one", "two things", "three things", "three rules", "two reasons", "three reasons")

// postDenials after a key point's phrasing deny it: "retries are
// unnecessary", "WebSockets are overkill".
var postDenials = map[string]bool{
	"unnecessary": true, "overkill": true, "pointless": true, "useless": true, "irrelevant": true,
	"needless": true, "optional": true, "legacy": true, "outdated": true, "obsolete": true,
	"antipattern": true, "redundant": true, "unneeded": true, "superfluous": true,
	"counterproductive": true, "harmful": true, "inappropriate": true, "unsuitable": true, "wasteful": true,
}

// restrictions in a key point's text limit when something holds: "only
// when fully empty", "rarely", "unless it is hot".
var restrictions = map[string]bool{"only": true, "rarely": true, "seldom": true, "unless": true, "until": true, "except": true}

// badThings follow "a bad" after a key point's phrasing to deny it:
// "sampling is a bad idea".
var badThings = map[string]bool{"idea": true, "fit": true, "choice": true, "practice": true, "approach": true, "tool": true, "way": true, "pattern": true}

// dismissers, dismissiveAdds and dismissedBurdens make a dismissal after
// a key point's phrasing: "separate users only add complexity", "trace
// ids just add noise" (dismissal).
var (
	dismissers       = map[string]bool{"only": true, "just": true, "merely": true, "simply": true}
	dismissiveAdds   = map[string]bool{"add": true, "adds": true, "create": true, "creates": true, "bring": true, "brings": true}
	dismissedBurdens = map[string]bool{"complexity": true, "noise": true, "overhead": true, "confusion": true, "clutter": true, "friction": true, "bureaucracy": true}
	// forNoWhat end "adds complexity for no …": the cost buys nothing.
	forNoWhat = map[string]bool{"benefit": true, "gain": true, "reason": true, "value": true, "good": true, "real": true}
)

// postDeniedAfterNot follow a negation after a key point's phrasing to
// deny it: "retries aren't needed", "order doesn't matter", "connect and
// read timeouts don't need separate values".
var postDeniedAfterNot = map[string]bool{
	"needed": true, "necessary": true, "required": true, "matter": true, "important": true, "help": true,
	"helps": true, "work": true, "works": true, "apply": true, "relevant": true, "worth": true,
	"useful": true, "helpful": true, "affect": true, "affects": true, "need": true, "needs": true,
	"appropriate": true, "suitable": true, "recommended": true, "advisable": true, "wise": true,
}

// deniedConcerns follow a negation and an article after a key point's
// phrasing to deny that it matters: "memory isn't a concern", "lag is
// not an issue".
var deniedConcerns = map[string]bool{
	"concern": true, "problem": true, "issue": true, "worry": true, "bottleneck": true, "factor": true,
	"limit": true, "limitation": true, "risk": true,
}

// hypotheticals open a clause that supposes rather than claims: a
// misconception named after one is not asserted.
var hypotheticals = map[string]bool{"if": true, "suppose": true, "imagine": true, "whether": true, "unless": true}

// subjectPronouns stand for the question's subject in a claim.
var subjectPronouns = map[string]bool{"it": true, "they": true, "them": true, "it's": true, "they're": true}

// claimAdverbs say how sure or how often a claim holds, not what it says
// (claimAdverb).
var claimAdverbs = map[string]bool{
	"always": true, "usually": true, "often": true, "typically": true, "generally": true, "mostly": true,
	"mainly": true, "basically": true, "simply": true, "definitely": true, "certainly": true, "normally": true,
}

// remedyForms are nouns that give a remedy's form, not another thing:
// "a strict CORS policy" is CORS (namesOther). By stem.
var remedyForms = stemSet("policy", "header", "setting", "mode", "option", "flag", "config", "configuration",
	"approach", "strategy", "mechanism", "feature", "rule", "layer", "annotation", "attribute", "directive", "type")

// causatives make a claim of their object: "makes the increment atomic"
// says the increment is atomic (holdsCaused).
var causatives = map[string]bool{"make": true, "makes": true, "made": true, "making": true, "keeps": true, "renders": true}

// auxiliaries carry a verb's tense or mood: an adverb after one qualifies
// the claim (claimAdverb).
var auxiliaries = stemSet("will", "would", "can", "could", "do", "does", "did", "has", "have", "had", "should", "may", "might", "must")

// anaphoric pronouns stand for a noun said just before them.
var anaphoric = map[string]bool{"it": true, "its": true, "it's": true, "they": true, "their": true, "they're": true}

// articles stand between a negation and what it denies: "isn't a concern".
var articles = map[string]bool{"a": true, "an": true, "the": true, "any": true, "much": true, "really": true}

// soNotConsequence follow a "so" that is not a consequence: "so far",
// "so much", "so many".
var soNotConsequence = map[string]bool{"far": true, "much": true, "many": true, "few": true, "long": true}

// remedyVerbs say that something fixes a problem: a red flag whose text
// says so is a remedy misconception (statedRemedy).
var remedyVerbs = map[string]bool{
	"fix": true, "fixes": true, "solve": true, "solves": true, "solution": true, "prevent": true, "prevents": true,
	"stop": true, "stops": true, "defence": true, "defense": true, "protect": true, "protects": true, "cure": true,
	"cures": true, "remedy": true, "absorb": true, "absorbs": true, "eliminate": true, "eliminates": true,
	"avoid": true, "avoids": true,
}

// differences deny a likeness: "a substitute like SQLite behaves
// differently from Postgres" does not say SQLite behaves like Postgres.
var differences = map[string]bool{"differently": true, "differs": true, "differ": true, "unlike": true, "separately": true, "independently": true}

// partitives after "only" make it a share, not exclusivity: "the heap is
// only part of what the JVM uses" does not say the JVM only uses the
// heap.
var partitives = map[string]bool{"part": true, "one": true, "some": true, "half": true, "fraction": true, "piece": true}

// remedyCompanions join a remedy to another measure in one clause: "the
// fix is a role check plus an ownership check" recommends both.
var remedyCompanions = map[string]bool{
	"plus": true, "and": true, "with": true, "through": true, "inside": true, "alongside": true,
	"together": true, "combined": true, "besides": true, "also": true,
}

// remedyNouns name the remedy in "the fix is X".
var remedyNouns = map[string]bool{
	"fix": true, "solution": true, "defence": true, "defense": true, "cure": true, "remedy": true, "answer": true,
}

// wordClass marks what a word does in a claim. The matching loops ask it
// of every word they pass, so each token's classes are looked up once,
// when the answer is parsed (classOf), from the word sets above.
type wordClass uint16

const (
	classNegation    wordClass = 1 << iota // negationTriggers
	classTerminator                        // scopeTerminators
	classGapBreaker                        // gapBreakers
	classFunction                          // functionWords (by stem)
	classStop                              // stopwords (by stem)
	classClaimAdverb                       // claimAdverbs
	classAuxiliary                         // auxiliaries (by stem)
	classCopula                            // copulas (by stem)
	classBelief                            // beliefVerbs
	classThirdParty                        // thirdParties
	classJoin                              // joins
)

// joins coordinate two items: "the exception message and stack trace".
var joins = map[string]bool{"and": true, "or": true}

// rawClasses and stemClasses index the word sets by a word's lower-case
// form and by its stem.
var rawClasses, stemClasses = wordClasses()

func wordClasses() (raw, stems map[string]wordClass) {
	raw, stems = map[string]wordClass{}, map[string]wordClass{}
	add := func(m map[string]wordClass, set map[string]bool, c wordClass) {
		for w := range set {
			m[w] |= c
		}
	}
	add(raw, negationTriggers, classNegation)
	add(raw, scopeTerminators, classTerminator)
	add(raw, gapBreakers, classGapBreaker)
	add(raw, claimAdverbs, classClaimAdverb)
	add(raw, beliefVerbs, classBelief)
	add(raw, thirdParties, classThirdParty)
	add(raw, joins, classJoin)
	add(stems, functionWords, classFunction)
	add(stems, stopwords, classStop)
	add(stems, auxiliaries, classAuxiliary)
	add(stems, copulas, classCopula)
	return raw, stems
}

// classOf returns the classes of a word from its lower-case form and stem.
func classOf(raw, stem string) wordClass { return rawClasses[raw] | stemClasses[stem] }

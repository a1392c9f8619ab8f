package interview

import (
	"math"
	"reflect"
	"strings"
	"testing"
)

func TestAnalyzeJD(t *testing.T) {
	tests := []struct {
		name      string
		text      string
		wantStack string
		wantTech  []string
		wantLevel string
		heavier   [2]string // areas[0] must weigh more than areas[1]
	}{
		{
			name:      "OK senior go with infra",
			text:      "Senior Backend Engineer (Go). You will build Go services on PostgreSQL and Redis, stream events through Kafka, expose gRPC APIs, and ship with Docker and Kubernetes. 5+ years of experience.",
			wantStack: "go", wantTech: []string{"postgresql", "redis", "kafka", "grpc", "docker", "kubernetes"}, wantLevel: "senior",
			heavier: [2]string{"databases", "testing"},
		},
		{
			name:      "OK python django middle by years",
			text:      "We need a Python developer with 3 years of Django and Celery experience. You will design REST APIs and write pytest suites. MySQL knowledge is a plus.",
			wantStack: "python", wantTech: []string{"celery", "rest", "mysql"}, wantLevel: "middle",
			heavier: [2]string{"apis", "security"},
		},
		{
			name:      "OK java spring junior",
			text:      "Junior Java Developer. Spring Boot, Hibernate, PostgreSQL. Graduates welcome.",
			wantStack: "java", wantTech: []string{"postgresql"}, wantLevel: "junior",
		},
		{
			name:      "OK node typescript graphql",
			text:      "Node.js engineer (TypeScript, NestJS) building GraphQL and WebSocket APIs on MongoDB, deployed to AWS Lambda. Mid-level.",
			wantStack: "node", wantTech: []string{"graphql", "websockets", "mongodb", "aws"}, wantLevel: "middle",
		},
		{
			name:      "OK mentoring juniors does not make it junior",
			text:      "Staff engineer. You will mentor junior engineers and lead the design of our caching layer on Memcached.",
			wantStack: "", wantTech: []string{"memcached"}, wantLevel: "senior",
			heavier: [2]string{"caching", "testing"},
		},
		{
			name:      "OK go as a verb is not the Go stack",
			text:      "You will go the extra mile and help us go live with a Java platform. The rest of the team uses Redis.",
			wantStack: "java", wantTech: []string{"redis"}, wantLevel: "",
		},
		{
			name: "OK empty", text: "", wantStack: "", wantTech: []string{}, wantLevel: "",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := AnalyzeJD(tt.text)
			if got.Stack != tt.wantStack {
				t.Errorf("stack %q, want %q", got.Stack, tt.wantStack)
			}
			if !reflect.DeepEqual(got.Technologies, tt.wantTech) {
				t.Errorf("technologies %q, want %q", got.Technologies, tt.wantTech)
			}
			if got.Level != tt.wantLevel {
				t.Errorf("level %q, want %q", got.Level, tt.wantLevel)
			}
			sum := 0.0
			for a, w := range got.Areas {
				if w <= 0 {
					t.Errorf("area %s weight %v", a, w)
				}
				sum += w
			}
			if math.Abs(sum-1) > 1e-9 {
				t.Errorf("area weights sum to %v", sum)
			}
			if tt.heavier[0] != "" && got.Areas[tt.heavier[0]] <= got.Areas[tt.heavier[1]] {
				t.Errorf("%s (%v) should weigh more than %s (%v)", tt.heavier[0], got.Areas[tt.heavier[0]], tt.heavier[1], got.Areas[tt.heavier[1]])
			}
			for a := range got.Areas {
				if strings.ToLower(a) != a {
					t.Errorf("area %q not lower case", a)
				}
			}
		})
	}
}

func TestAnalyzeJDStackAreaWeighted(t *testing.T) {
	got := AnalyzeJD("Python backend engineer, Django, FastAPI, asyncio.")
	if got.Areas["python"] == 0 {
		t.Errorf("the stack's language should get weight: %v", got.Areas)
	}
	if _, ok := got.Areas["go"]; ok {
		t.Errorf("another language got weight: %v", got.Areas)
	}
}

func TestAnalyzeJDLevels(t *testing.T) {
	tests := map[string]string{
		"We are looking for a Junior Backend Engineer. You will learn from senior engineers.": "junior",
		"Software Engineer II - Java, Spring Boot.":                                           "middle",
		"Software Engineer III, Platform.":                                                    "senior",
		"Senior Python developer; you will mentor junior developers.":                         "senior",
		"Mid-level Node engineer working alongside our staff engineers.":                      "middle",
		"Backend engineer, 6+ years of experience with Go.":                                   "senior",
		"Backend engineer, 1 year of experience.":                                             "junior",
	}
	for text, want := range tests {
		if got := AnalyzeJD(text).Level; got != want {
			t.Errorf("%q: level %q, want %q", text, got, want)
		}
	}
	if got := AnalyzeJD("Build REST and GraphQL APIs. The rest of the team uses Go.").Technologies; strings.Join(got, ",") != "rest,graphql" {
		t.Errorf("technologies %v", got)
	}
}

// TestNamedAreasSurviveACopy: the areas a text dwells on travel with the
// analysis value (the model's merge starts from a copy of it).
func TestNamedAreasSurviveACopy(t *testing.T) {
	a := AnalyzeJD("Backend engineer: monitoring, tracing, logging, on-call and SLOs")
	b := a
	b.Technologies = []string{"kafka"}
	if got := b.NamedAreas(); len(got) != 2 || got[0] != "concurrency" || got[1] != "observability" {
		t.Errorf("NamedAreas = %v, want [concurrency observability]", got)
	}
}

# Neuvo: `make run` starts everything on http://127.0.0.1:8080,
# `make test` runs every test.  See README.md.

CC	?= cc
PKGS	 = fcgi jansson libpq
WARN	 = -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
	   -Wmissing-prototypes -Wformat=2 -Wno-format-nonliteral
CFLAGS	?= -O2 -g
CFLAGS	+= -std=c11 -D_GNU_SOURCE $(WARN) $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LDLIBS	 = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lvoikko
SAN	 = -fsanitize=address,undefined -fno-omit-frame-pointer \
	   -fno-sanitize-recover=all

SRCS	 = app/api.c app/chat.c app/config.c app/db.c app/http.c \
	   app/index.c app/langid.c app/lex.c app/log.c app/master.c app/neuvo.c \
	   app/redact.c app/turn.c app/utf8.c app/worker.c
OBJS	 = $(SRCS:app/%.c=build/%.o)
SOBJS	 = $(SRCS:app/%.c=build/asan/%.o)
UNIT	 = $(patsubst tests/unit/%.c,build/asan/%,$(wildcard tests/unit/test_*.c))

STACK	 = conf/stack

.PHONY: all deps run up down dburl psql seed migrate test unit eval bench \
	purge report export import clean format check-format check-kb deps-test

all: build/neuvo check-kb

# The completeness check: every answer in fi, sv and en, with enough
# question variants, numbers only as {tel:key} (sql/kbtool).
check-kb:
	@sql/kbtool check

deps:
	@conf/deps

build/neuvo: $(OBJS) build/main.o
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

build/asan/neuvo: $(SOBJS) build/asan/main.o
	$(CC) $(CFLAGS) $(SAN) -o $@ $^ $(LDLIBS)

build/%.o: app/%.c app/*.h | build
	$(CC) $(CFLAGS) -c -o $@ $<

build/asan/%.o: app/%.c app/*.h | build
	$(CC) $(CFLAGS) $(SAN) -O1 -c -o $@ $<

build/asan/test_%: tests/unit/test_%.c $(SOBJS) | build
	$(CC) $(CFLAGS) $(SAN) -O1 -Iapp -o $@ $< $(SOBJS) $(LDLIBS)

build:
	@mkdir -p build/asan

# The stack: a private PostgreSQL under var/ (or NEUVO_DB), the workers
# and a private nginx.  conf/stack does the work; see docs/operations.md.
run: deps all
	@$(STACK) run
up: deps all
	@$(STACK) up
down:
	@$(STACK) down
dburl:
	@$(STACK) dburl
psql:
	@$(STACK) psql
migrate: deps
	@$(STACK) migrate
seed: deps all
	@$(STACK) seed
purge:
	@$(STACK) purge
export:
	@$(STACK) export
import: all
	@$(STACK) seed

unit: deps $(UNIT)
	@fail=0; for t in $(UNIT); do ASAN_OPTIONS=detect_leaks=1 $$t || fail=1; done; exit $$fail

test: deps-test build/asan/neuvo $(UNIT) all
	@tests/run

deps-test:
	@conf/deps test

eval: deps all
	@$(STACK) eval $(if $(SHOW),--show-fails,)

bench: deps all
	@tests/bench/run

report: deps
	@$(STACK) report

format:
	clang-format -i app/*.c app/*.h tests/unit/*.c

check-format:
	@clang-format --dry-run --Werror app/*.c app/*.h tests/unit/*.c

clean:
	rm -rf build

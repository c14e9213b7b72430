/*
 * sh: the shell.
 *
 *   sh               read commands from fd 0, prompting with "$ "
 *   sh -c STRING     run STRING
 *   sh FILE          run FILE line by line
 *
 * A line is tokenized (words with '...' and "..." quoting, \ escapes and
 * $? for the last status; operators | || & && ; < > >> ( ); # starts a
 * comment), parsed into a tree of struct cmd by recursive descent over
 * this grammar
 *
 *   list     := andor { (';' | '&' | newline) [andor] }
 *   andor    := pipeline { ('&&' | '||') pipeline }
 *   pipeline := command { '|' command }
 *   command  := '(' list ')' { redir } | { WORD | redir }+
 *   redir    := ('<' | '>' | '>>') WORD
 *
 * and run. A command's status is its wait() status; a pipeline's is its
 * last command's; sh exits with the status of the last command it ran.
 * Builtins: cd [DIR], exit [N]. A name without '/' runs /NAME; a missing
 * program prints "sh: NAME: not found" and gives status 127.
 *
 * Interactive (reading fd 0 with a prompt), sh marks the processes it
 * waits for as the console's foreground job (fgset), so that ^C kills
 * them and sh prompts again; background (&) commands are not marked.
 */
#include "kernel/fcntl.h"
#include "kernel/param.h"
#include "kernel/stat.h"
#include "kernel/types.h"
#include "user/user.h"

#define LINEMAX 1024    /* longest command line, NUL included */
#define MAXWORDS MAXARG /* words in one simple command */
#define NREDIR 4        /* redirections on one command */
#define NCMD 64         /* tree nodes per line */
#define NSTAGE 16       /* commands in one pipeline */

#define STATUS_MARK '\001' /* stands for $? in a scanned word */

#define ST_SYNTAX 2
#define ST_CANNOT_EXEC 126
#define ST_NOT_FOUND 127

enum tok { T_END, T_WORD, T_PIPE, T_OR, T_AMP, T_AND, T_SEMI, T_LT, T_GT, T_GTGT, T_LP, T_RP };

struct token {
	enum tok type;
	char *word; /* T_WORD: the word, quotes removed */
};

enum kind { C_EXEC, C_SUB, C_PIPE, C_SEQ, C_BG, C_AND, C_OR };

struct redir {
	int fd;       /* 0 or 1 */
	enum tok how; /* T_LT, T_GT or T_GTGT */
	char *file;
};

/* A node of the command tree. C_EXEC uses argv and redirs; C_SUB runs
 * left in a child with redirs; the others combine left and right. */
struct cmd {
	enum kind kind;
	int argc;
	char *argv[MAXWORDS + 1];
	int nredir;
	struct redir redir[NREDIR];
	struct cmd *left, *right;
};

/* Per-line state: tokens, the words they point into, and tree nodes. */
static struct token tokens[LINEMAX + 1];
static char words[2 * LINEMAX];
static struct cmd nodes[NCMD];
static int ntokens, pos, nnodes;
static int syntax_error;

static int last_status;
static int job_control; /* interactive: mark foreground children (fgset) */

static int run(struct cmd *c);

/* Report a syntax problem once per line. */
static void
syntax(const char *what)
{
	if (!syntax_error)
		fprintf(2, "sh: syntax error: %s\n", what);
	syntax_error = 1;
}

/* ---- tokenizer ---------------------------------------------------------- */

/* Does c separate words without being an operator? */
static int
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* Does c end a word (blank, operator, newline or end of line)? */
static int
is_special(char c)
{
	return c == 0 || c == '\n' || is_blank(c) || strchr("|&;<>()", c) != 0;
}

/* Operator at s: its type and length in *len, or T_END if none. */
static enum tok
operator_at(const char *s, int *len)
{
	*len = (s[0] == s[1] && strchr("|&>", s[0]) != 0) ? 2 : 1;
	switch (s[0]) {
	case '|':
		return *len == 2 ? T_OR : T_PIPE;
	case '&':
		return *len == 2 ? T_AND : T_AMP;
	case '>':
		return *len == 2 ? T_GTGT : T_GT;
	case ';':
	case '\n':
		return T_SEMI;
	case '<':
		return T_LT;
	case '(':
		return T_LP;
	case ')':
		return T_RP;
	}
	return T_END;
}

/* Copy one word starting at s into *out, removing quotes and escapes and
 * marking $? (outside single quotes) with STATUS_MARK, for expand() to
 * replace when the command runs. Returns the text after the word, or 0
 * on an unterminated quote. */
static const char *
scan_word(const char *s, char **out)
{
	char *w = *out;
	char q;

	while (!is_special(*s)) {
		if (*s == '\'' || *s == '"') {
			q = *s++;
			for (; *s != q; s++) {
				if (*s == 0)
					return 0;
				if (q == '"' && s[0] == '$' && s[1] == '?') {
					*w++ = STATUS_MARK;
					s++;
					continue;
				}
				if (q == '"' && *s == '\\' && (s[1] == '"' || s[1] == '\\'))
					s++;
				*w++ = *s;
			}
			s++;
		} else if (*s == '$' && s[1] == '?') {
			*w++ = STATUS_MARK;
			s += 2;
		} else if (*s == '\\' && s[1] != 0) {
			*w++ = s[1];
			s += 2;
		} else {
			*w++ = *s++;
		}
	}
	*w++ = 0;
	*out = w;
	return s;
}

/* Split line into tokens[]. 0, or -1 (reported) on a bad quote. */
static int
tokenize(const char *s)
{
	char *w = words;
	int len;

	ntokens = 0;
	for (;;) {
		while (is_blank(*s))
			s++;
		if (*s == '#') {
			while (*s != 0 && *s != '\n')
				s++;
		}
		if (*s == 0)
			break;
		tokens[ntokens].word = 0;
		tokens[ntokens].type = operator_at(s, &len);
		if (tokens[ntokens].type != T_END) {
			s += len;
		} else {
			tokens[ntokens].type = T_WORD;
			tokens[ntokens].word = w;
			s = scan_word(s, &w);
			if (s == 0) {
				fprintf(2, "sh: unterminated quote\n");
				return -1;
			}
		}
		ntokens++;
	}
	tokens[ntokens].type = T_END;
	return 0;
}

/* ---- parser ------------------------------------------------------------- */

/* Type of the token at the parse position. */
static enum tok
peek(void)
{
	return tokens[pos].type;
}

/* A zeroed node from the per-line pool, or 0 (reported) when it is
 * exhausted. */
static struct cmd *
new_node(enum kind kind, struct cmd *left, struct cmd *right)
{
	struct cmd *c;

	if (nnodes >= NCMD) {
		syntax("line too complex");
		return 0;
	}
	c = &nodes[nnodes++];
	memset(c, 0, sizeof(*c));
	c->kind = kind;
	c->left = left;
	c->right = right;
	return c;
}

/* Can a command start with token t? */
static int
starts_command(enum tok t)
{
	return t == T_WORD || t == T_LP || t == T_LT || t == T_GT || t == T_GTGT;
}

static struct cmd *parse_list(void);

/* If the next tokens are a redirection, add it to c. 1 if one was read,
 * 0 if none is next, -1 on error. */
static int
parse_redir(struct cmd *c)
{
	enum tok t = peek();

	if (t != T_LT && t != T_GT && t != T_GTGT)
		return 0;
	pos++;
	if (peek() != T_WORD) {
		syntax("redirection without a file name");
		return -1;
	}
	if (c->nredir >= NREDIR) {
		syntax("too many redirections");
		return -1;
	}
	c->redir[c->nredir].fd = t == T_LT ? 0 : 1;
	c->redir[c->nredir].how = t;
	c->redir[c->nredir].file = tokens[pos++].word;
	c->nredir++;
	return 1;
}

/* command := '(' list ')' redirs | (WORD | redir)+ */
static struct cmd *
parse_command(void)
{
	struct cmd *c, *inner;
	int r;

	if (peek() == T_LP) {
		pos++;
		inner = starts_command(peek()) ? parse_list() : 0;
		if (inner == 0 || peek() != T_RP) {
			syntax("bad parentheses");
			return 0;
		}
		pos++;
		c = new_node(C_SUB, inner, 0);
	} else {
		c = new_node(C_EXEC, 0, 0);
	}
	while (c != 0) {
		r = parse_redir(c);
		if (r < 0)
			return 0;
		if (r > 0)
			continue;
		if (peek() != T_WORD || c->kind != C_EXEC)
			break;
		if (c->argc >= MAXWORDS) {
			syntax("too many arguments");
			return 0;
		}
		c->argv[c->argc++] = tokens[pos++].word;
	}
	if (c != 0 && c->kind == C_EXEC && c->argc == 0 && c->nredir == 0) {
		syntax("missing command");
		return 0;
	}
	return c;
}

/* pipeline := command { '|' command } */
static struct cmd *
parse_pipeline(void)
{
	struct cmd *c, *rest;

	c = parse_command();
	if (c == 0 || peek() != T_PIPE)
		return c;
	pos++;
	rest = parse_pipeline();
	return rest == 0 ? 0 : new_node(C_PIPE, c, rest);
}

/* andor := pipeline { ('&&' | '||') pipeline } */
static struct cmd *
parse_andor(void)
{
	struct cmd *c, *r;
	enum tok t;

	c = parse_pipeline();
	while (c != 0 && (peek() == T_AND || peek() == T_OR)) {
		t = tokens[pos++].type;
		r = parse_pipeline();
		if (r == 0)
			return 0;
		c = new_node(t == T_AND ? C_AND : C_OR, c, r);
	}
	return c;
}

/* list := andor { (';' | '&') [andor] } */
static struct cmd *
parse_list(void)
{
	struct cmd *c, *rest;

	c = parse_andor();
	if (c == 0)
		return 0;
	if (peek() == T_AMP)
		c = new_node(C_BG, c, 0);
	else if (peek() != T_SEMI)
		return c;
	pos++;
	if (c == 0 || !starts_command(peek()))
		return c;
	rest = parse_list();
	return rest == 0 ? 0 : new_node(C_SEQ, c, rest);
}

/* Parse the whole token list. The tree, or 0 for an empty line or an
 * error (syntax_error set). */
static struct cmd *
parse(void)
{
	struct cmd *c;

	pos = 0;
	nnodes = 0;
	syntax_error = 0;
	while (peek() == T_SEMI)
		pos++;
	if (peek() == T_END)
		return 0;
	c = starts_command(peek()) ? parse_list() : 0;
	if (c != 0 && peek() != T_END)
		c = 0;
	if (c == 0)
		syntax("unexpected operator");
	return c;
}

/* ---- running ------------------------------------------------------------ */

/* Wait until all n children in pid[] have exited, reaping others met
 * meanwhile. The status of the last one, pid[n-1]. */
static int
wait_all(int *pid, int n)
{
	int left = n, r, i, status, last = -1;

	while (left > 0) {
		r = wait(&status);
		if (r < 0)
			break;
		for (i = 0; i < n; i++) {
			if (pid[i] == r) {
				pid[i] = 0;
				left--;
				if (i == n - 1)
					last = status;
			}
		}
	}
	return last;
}

/* Read fd to its end, so that writes through it append (the kernel has
 * no O_APPEND). Only regular files are skipped through. */
static void
seek_to_end(int fd)
{
	static char skip[512];
	struct stat st;

	if (fstat(fd, &st) < 0 || st.type != T_FILE)
		return;
	while (read(fd, skip, sizeof(skip)) > 0)
		;
}

/* Open r's file onto descriptor r->fd. 0, or -1 (reported). */
static int
redirect(struct redir *r)
{
	int flags, fd;

	if (r->how == T_LT)
		flags = O_RDONLY;
	else if (r->how == T_GT)
		flags = O_WRONLY | O_CREATE | O_TRUNC;
	else
		flags = O_RDWR | O_CREATE;
	fd = open(r->file, flags);
	if (fd < 0) {
		fprintf(2, "sh: %s: cannot open\n", r->file);
		return -1;
	}
	if (r->how == T_GTGT)
		seek_to_end(fd);
	if (fd != r->fd) {
		close(r->fd);
		if (dup(fd) != r->fd) {
			fprintf(2, "sh: %s: cannot redirect\n", r->file);
			return -1;
		}
		close(fd);
	}
	return 0;
}

/* Apply all of c's redirections, in this (child) process. */
static int
redirect_all(struct cmd *c)
{
	int i;

	for (i = 0; i < c->nredir; i++) {
		if (redirect(&c->redir[i]) < 0)
			return -1;
	}
	return 0;
}

/* word with every STATUS_MARK replaced by last_status in decimal: word
 * itself when it has none, else a malloc'd copy (or word again when out
 * of memory). */
static char *
expand(char *word)
{
	char *out, *o;
	int marks = 0;
	const char *p;

	for (p = word; *p; p++)
		marks += *p == STATUS_MARK;
	if (marks == 0 || (out = malloc(strlen(word) + 12 * marks)) == 0)
		return word;
	for (o = out, p = word; *p; p++) {
		if (*p == STATUS_MARK)
			o += snprintf(o, 12, "%d", last_status);
		else
			*o++ = *p;
	}
	*o = 0;
	return out;
}

/* Expand $? in c's words and file names (in a child about to exec, or
 * for a builtin). */
static void
expand_all(struct cmd *c)
{
	int i;

	for (i = 0; i < c->argc; i++)
		c->argv[i] = expand(c->argv[i]);
	for (i = 0; i < c->nredir; i++)
		c->redir[i].file = expand(c->redir[i].file);
}

/* Replace this child with c's program. Never returns. */
static void exec_program(struct cmd *c) __attribute__((noreturn));
static void
exec_program(struct cmd *c)
{
	char path[MAXPATH];
	struct stat st;
	char *name;

	expand_all(c);
	if (redirect_all(c) < 0)
		exit(1);
	if (c->argc == 0)
		exit(0);
	name = c->argv[0];
	c->argv[c->argc] = 0;
	if (strchr(name, '/') == 0 && strlen(name) + 2 <= sizeof(path)) {
		path[0] = '/';
		strcpy(path + 1, name);
	} else if (strlen(name) < sizeof(path)) {
		strcpy(path, name);
	} else {
		path[0] = 0;
	}
	exec(path, c->argv);
	if (path[0] != 0 && stat(path, &st) == 0) {
		fprintf(2, "sh: %s: cannot execute\n", name);
		exit(ST_CANNOT_EXEC);
	}
	fprintf(2, "sh: %s: not found\n", name);
	exit(ST_NOT_FOUND);
}

/* Is s a decimal number (optional '-')? */
static int
is_number(const char *s)
{
	if (*s == '-')
		s++;
	if (*s == 0)
		return 0;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return 0;
	}
	return 1;
}

/* Run c if it is a builtin: its status in *status and 1, or 0. */
static int
builtin(struct cmd *c, int *status)
{
	char *dir;

	if (c->kind != C_EXEC || c->argc == 0)
		return 0;
	if (strcmp(c->argv[0], "cd") == 0 || strcmp(c->argv[0], "exit") == 0)
		expand_all(c);
	if (strcmp(c->argv[0], "cd") == 0) {
		dir = c->argc > 1 ? c->argv[1] : "/";
		*status = 0;
		if (chdir(dir) < 0) {
			fprintf(2, "sh: cd: %s: cannot change directory\n", dir);
			*status = 1;
		}
		return 1;
	}
	if (strcmp(c->argv[0], "exit") == 0) {
		if (c->argc < 2)
			exit(last_status);
		if (!is_number(c->argv[1])) {
			fprintf(2, "sh: exit: %s: not a number\n", c->argv[1]);
			exit(ST_SYNTAX);
		}
		exit(atoi(c->argv[1]) & 0xff);
	}
	return 0;
}

/* In a forked child: run c and exit with its status. Simple commands
 * exec directly, without another fork. */
static void run_in_child(struct cmd *c) __attribute__((noreturn));
static void
run_in_child(struct cmd *c)
{
	int status;

	if (c->kind == C_EXEC) {
		if (builtin(c, &status))
			exit(status);
		exec_program(c);
	}
	if (c->kind == C_SUB) {
		expand_all(c);
		if (redirect_all(c) < 0)
			exit(1);
		exit(run(c->left));
	}
	exit(run(c));
}

/* Interactive, in the parent: make child pid part of the console's
 * foreground job. The child marks itself too (child_start), so that ^C
 * finds it whichever of the two runs first. */
static void
foreground(int pid)
{
	if (job_control && pid > 0)
		fgset(pid);
}

/* First thing in a forked child: join the foreground job if fg, and
 * never mark anything again (only the interactive shell itself does). */
static void
child_start(int fg)
{
	if (job_control && fg)
		fgset(getpid());
	job_control = 0;
}

/* Fork a child that runs c. The child's pid, or -1 (reported). */
static int
spawn(struct cmd *c, int fg)
{
	int pid;

	pid = fork();
	if (pid == 0) {
		child_start(fg);
		run_in_child(c);
	}
	if (fg)
		foreground(pid);
	if (pid < 0)
		fprintf(2, "sh: fork failed\n");
	return pid;
}

/* Connect this child's fd 0 to in and fd 1 to out (-1: leave as is). */
static void
connect_stage(int in, int out, int unused)
{
	if (unused >= 0)
		close(unused);
	if (in >= 0) {
		close(0);
		dup(in);
		close(in);
	}
	if (out >= 0) {
		close(1);
		dup(out);
		close(out);
	}
}

/* Run a pipeline: every stage in its own child, stage i's output feeding
 * stage i+1. The last stage's status. */
static int
run_pipeline(struct cmd *c)
{
	struct cmd *stage[NSTAGE];
	int pid[NSTAGE], n = 0, i, in = -1, fds[2];

	for (; c->kind == C_PIPE && n < NSTAGE - 1; c = c->right)
		stage[n++] = c->left;
	stage[n++] = c;
	for (i = 0; i < n; i++) {
		fds[0] = fds[1] = -1;
		if (i < n - 1 && pipe(fds) < 0) {
			fprintf(2, "sh: pipe failed\n");
			break;
		}
		pid[i] = fork();
		if (pid[i] == 0) {
			child_start(1);
			connect_stage(in, fds[1], fds[0]);
			run_in_child(stage[i]);
		}
		foreground(pid[i]);
		if (in >= 0)
			close(in);
		if (fds[1] >= 0)
			close(fds[1]);
		in = fds[0];
		if (pid[i] < 0) {
			fprintf(2, "sh: fork failed\n");
			break;
		}
	}
	if (in >= 0)
		close(in);
	return i == 0 ? 1 : wait_all(pid, i);
}

/* Run the tree c in this shell. Its status. */
static int
run(struct cmd *c)
{
	int status, pid;

	switch (c->kind) {
	case C_EXEC:
		if (builtin(c, &status))
			return status;
		/* fall through */
	case C_SUB:
		pid = spawn(c, 1);
		return pid < 0 ? 1 : wait_pid(pid);
	case C_PIPE:
		return run_pipeline(c);
	case C_SEQ:
		last_status = run(c->left);
		return run(c->right);
	case C_BG:
		return spawn(c->left, 0) < 0 ? 1 : 0;
	case C_AND:
		status = last_status = run(c->left);
		return status == 0 ? run(c->right) : status;
	case C_OR:
		status = last_status = run(c->left);
		return status != 0 ? run(c->right) : status;
	}
	return 1;
}

/* Tokenize, parse and run one line (or -c string); updates last_status. */
static void
run_line(const char *line)
{
	struct cmd *c;

	if (tokenize(line) < 0) {
		last_status = ST_SYNTAX;
		return;
	}
	c = parse();
	if (c != 0)
		last_status = run(c);
	else if (syntax_error)
		last_status = ST_SYNTAX;
}

/* ---- input -------------------------------------------------------------- */

/* Read one line from fd into buf (LINEMAX), without its newline. Its
 * length; -1 at end of input. A too-long line is dropped and reported,
 * and comes back empty. */
static int
read_line(int fd, char *buf)
{
	int n = 0, got = 0, too_long = 0;
	char c;

	while (read(fd, &c, 1) == 1) {
		got = 1;
		if (c == '\n')
			break;
		if (n < LINEMAX - 1)
			buf[n++] = c;
		else
			too_long = 1;
	}
	if (!got)
		return -1;
	if (too_long) {
		fprintf(2, "sh: line too long\n");
		n = 0;
		last_status = ST_SYNTAX;
	}
	buf[n] = 0;
	return n;
}

/* Run every line read from fd, prompting when interactive. */
static void
run_stream(int fd, int interactive)
{
	static char line[LINEMAX];

	job_control = interactive;
	for (;;) {
		if (interactive) {
			fgset(0); /* at the prompt, ^C kills nothing */
			fprintf(2, "$ ");
		}
		if (read_line(fd, line) < 0)
			break;
		run_line(line);
	}
}

int
main(int argc, char *argv[])
{
	int fd;

	if (argc >= 2 && strcmp(argv[1], "-c") == 0) {
		if (argc < 3) {
			fprintf(2, "usage: sh [-c string | file]\n");
			exit(ST_SYNTAX);
		}
		if (strlen(argv[2]) >= LINEMAX) {
			fprintf(2, "sh: command too long\n");
			exit(ST_SYNTAX);
		}
		run_line(argv[2]);
	} else if (argc >= 2) {
		fd = open(argv[1], O_RDONLY);
		if (fd < 0) {
			fprintf(2, "sh: %s: cannot open\n", argv[1]);
			exit(ST_NOT_FOUND);
		}
		run_stream(fd, 0);
		close(fd);
	} else {
		run_stream(0, 1);
	}
	exit(last_status);
}

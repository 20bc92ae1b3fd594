/* cond_node — the parsed form of a cond expression, shared by the parser
 * (cond.c) and the evaluator (cond_eval.c) and by nothing else. */
#ifndef TIPDESK_COND_NODE_H
#define TIPDESK_COND_NODE_H

#include "cond.h"

enum node_kind { N_NUM, N_STR, N_FIELD, N_CMP, N_AND, N_OR, N_NOT, N_ARITH, N_NEG, N_CALL };
enum fn_kind { F_EMPTY, F_CONTAINS, F_AGE_YEARS, F_TODAY, F_COALESCE };
enum cmp_op { OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE };

struct cond {
    enum node_kind kind;
    int op;                 /* cmp_op, '+', '-', '*', or fn_kind */
    double num;
    char *str;              /* N_STR text, N_FIELD id */
    struct cond *a, *b;
    struct cond *args[2];
    int nargs;
};

#endif

// A small stack-machine bytecode interpreter (switch dispatch, i64 operand stack) running a
// Collatz program: the total number of steps for every start value below n. Exercises
// br_table dispatch, indirect-looking control flow and i64 arithmetic, like a guest
// interpreter (MicroPython) does.
#include "kernel.h"

enum {
    OP_HALT, OP_PUSH, OP_LOAD, OP_STORE, OP_ADD, OP_MUL, OP_AND, OP_SHR,
    OP_LT, OP_EQ, OP_JMP, OP_JZ, OP_JNZ, OP_DUP, OP_POP,
};

static i32 code[256];
static i32 codeSize;

static void emit(i32 op) { code[codeSize++] = op; }
static void emit2(i32 op, i32 arg) { code[codeSize++] = op; code[codeSize++] = arg; }
/// Emits a jump with a placeholder target; returns the slot to patch.
static i32 emitJump(i32 op) { code[codeSize++] = op; code[codeSize++] = -1; return codeSize - 1; }
static void patch(i32 slot, i32 target) { code[slot] = target; }

// Registers: 0 = i, 1 = x, 2 = steps, 3 = n.
static void assemble(void) {
    codeSize = 0;
    emit2(OP_PUSH, 1); emit2(OP_STORE, 0);                          // i = 1
    i32 outer = codeSize;
    emit2(OP_LOAD, 0); emit2(OP_LOAD, 3); emit(OP_LT);              // while i < n
    i32 toEnd = emitJump(OP_JZ);
    emit2(OP_LOAD, 0); emit2(OP_STORE, 1);                          //   x = i
    i32 inner = codeSize;
    emit2(OP_LOAD, 1); emit2(OP_PUSH, 1); emit(OP_EQ);              //   while x != 1
    i32 toNext = emitJump(OP_JNZ);
    emit2(OP_LOAD, 1); emit2(OP_PUSH, 1); emit(OP_AND);             //     if x & 1
    i32 toEven = emitJump(OP_JZ);
    emit2(OP_LOAD, 1); emit2(OP_PUSH, 3); emit(OP_MUL);             //       x = 3x + 1
    emit2(OP_PUSH, 1); emit(OP_ADD); emit2(OP_STORE, 1);
    i32 toCount = emitJump(OP_JMP);
    patch(toEven, codeSize);                                        //     else
    emit2(OP_LOAD, 1); emit2(OP_PUSH, 1); emit(OP_SHR); emit2(OP_STORE, 1);  // x >>= 1
    patch(toCount, codeSize);
    emit2(OP_LOAD, 2); emit2(OP_PUSH, 1); emit(OP_ADD); emit2(OP_STORE, 2);  // steps += 1
    emit2(OP_JMP, inner);
    patch(toNext, codeSize);
    emit2(OP_LOAD, 0); emit(OP_DUP); emit(OP_POP);                  //   i += 1 (DUP/POP: more dispatch)
    emit2(OP_PUSH, 1); emit(OP_ADD); emit2(OP_STORE, 0);
    emit2(OP_JMP, outer);
    patch(toEnd, codeSize);
    emit2(OP_LOAD, 2); emit(OP_HALT);                               // result: steps
}

static u64 execute(const i32 *program, u64 *registers) {
    u64 stack[64];
    i32 sp = 0, pc = 0;
    for (;;) {
        i32 op = program[pc++];
        switch (op) {
        case OP_HALT: return stack[sp - 1];
        case OP_PUSH: stack[sp++] = (u64)(long long)program[pc++]; break;
        case OP_LOAD: stack[sp++] = registers[program[pc++]]; break;
        case OP_STORE: registers[program[pc++]] = stack[--sp]; break;
        case OP_ADD: sp--; stack[sp - 1] += stack[sp]; break;
        case OP_MUL: sp--; stack[sp - 1] *= stack[sp]; break;
        case OP_AND: sp--; stack[sp - 1] &= stack[sp]; break;
        case OP_SHR: sp--; stack[sp - 1] >>= stack[sp]; break;
        case OP_LT: sp--; stack[sp - 1] = stack[sp - 1] < stack[sp]; break;
        case OP_EQ: sp--; stack[sp - 1] = stack[sp - 1] == stack[sp]; break;
        case OP_JMP: pc = program[pc]; break;
        case OP_JZ: { i32 t = program[pc++]; if (stack[--sp] == 0) pc = t; break; }
        case OP_JNZ: { i32 t = program[pc++]; if (stack[--sp] != 0) pc = t; break; }
        case OP_DUP: stack[sp] = stack[sp - 1]; sp++; break;
        case OP_POP: sp--; break;
        default: return (u64)-1;
        }
    }
}

/// Total Collatz steps of every start value in 1..<n, computed by the bytecode program.
EXPORT("stackvm") u64 stackvm(i32 n) {
    assemble();
    u64 registers[4] = {0, 0, 0, (u64)n};
    return execute(code, registers);
}

/* Test-only stand-in for Windows' bcryptprimitives.dll, which Wine 8 lacks: Rust's standard
 * library imports ProcessPrng from it, so without this no Rust program starts under Wine.
 * Real Windows 10 and 11 have the DLL; this file is never shipped. Built by .ci/run:
 *   x86_64-w64-mingw32-gcc -shared -o bcryptprimitives.dll bcryptprimitives.c */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length); /* RtlGenRandom, advapi32 */

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    while (length > 0) {
        ULONG chunk = length > 0x7fffffff ? 0x7fffffff : (ULONG)length;
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}

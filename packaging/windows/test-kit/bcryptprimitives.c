/*
 * TEST KIT ONLY, never packaged: a stand-in for Windows'
 * bcryptprimitives.dll, for running FuiteCheck under Debian 12's Wine 8.0.
 *
 * Rust's standard library (since Rust 1.78) gets its random bytes (HashMap
 * seeds, ...) from ProcessPrng in bcryptprimitives.dll, which every
 * supported Windows (10 and later) has. Wine 8.0 has no such DLL, so an
 * unmodified Rust executable does not even start there ("Library
 * bcryptprimitives.dll ... not found"). packaging/windows/smoke-wine.sh
 * builds this file with mingw and copies it into the test Wine prefix's
 * system32 (not into the install folder, not into the MSI): ProcessPrng
 * forwards to BCryptGenRandom with the system-preferred RNG, which Wine
 * implements. Newer Wine (9.x) ships bcryptprimitives.dll and needs none.
 */
#include <windows.h>
#include <bcrypt.h>

#ifndef STATUS_SUCCESS
#define STATUS_SUCCESS ((NTSTATUS)0x00000000L)
#endif

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
    while (len > 0) {
        ULONG chunk = len > 0x7fffffff ? 0x7fffffff : (ULONG)len;
        if (BCryptGenRandom(NULL, data, chunk, BCRYPT_USE_SYSTEM_PREFERRED_RNG) != STATUS_SUCCESS)
            return FALSE;
        data += chunk;
        len -= chunk;
    }
    return TRUE;
}

BOOL WINAPI DllMain(HINSTANCE inst, DWORD reason, LPVOID reserved)
{
    (void)inst;
    (void)reason;
    (void)reserved;
    return TRUE;
}

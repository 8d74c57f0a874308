/* SPDX-License-Identifier: MIT */
/*
 * The expat functions the xlsx reader calls, resolved with dlopen the
 * first time one is called, so only a command that reads an xlsx file
 * loads libexpat. formats/xlsx.c calls the XML_* functions as declared
 * in <expat.h>; this file defines them.
 *
 * When libexpat.so.1 cannot be loaded, XML_ParserCreate says why on
 * stderr and returns NULL, as expat does when out of memory, and the
 * reader fails there; the other functions are not called without a
 * parser (the message ones would return "library not loaded").
 */
#include <expat.h>

#include "base/dynlib.h"

#define EXPAT_LIBRARY "libexpat.so.1"

/* The functions that return a value: type, name, parameters, arguments. */
#define EXPAT_FUNCS(X)                                                         \
    X(void *, XML_GetBuffer, (XML_Parser parser, int len), (parser, len))      \
    X(XML_Size, XML_GetCurrentColumnNumber, (XML_Parser parser), (parser))     \
    X(XML_Size, XML_GetCurrentLineNumber, (XML_Parser parser), (parser))       \
    X(enum XML_Error, XML_GetErrorCode, (XML_Parser parser), (parser))         \
    X(enum XML_Status, XML_ParseBuffer,                                        \
      (XML_Parser parser, int len, int isFinal), (parser, len, isFinal))       \
    X(XML_Parser, XML_ParserCreate, (const XML_Char *encoding), (encoding))    \
    X(enum XML_Status, XML_ResumeParser, (XML_Parser parser), (parser))        \
    X(enum XML_Status, XML_StopParser,                                         \
      (XML_Parser parser, XML_Bool resumable), (parser, resumable))

/* The one that returns a message. */
#define EXPAT_STRS(X)                                                          \
    X(const XML_LChar *, XML_ErrorString, (enum XML_Error code), (code))

/* The functions that return nothing. */
#define EXPAT_VOIDS(X)                                                         \
    X(void, XML_ParserFree, (XML_Parser parser), (parser))                     \
    X(void, XML_SetCharacterDataHandler,                                       \
      (XML_Parser parser, XML_CharacterDataHandler handler),                   \
      (parser, handler))                                                       \
    X(void, XML_SetElementHandler,                                             \
      (XML_Parser parser, XML_StartElementHandler start,                       \
       XML_EndElementHandler end),                                             \
      (parser, start, end))                                                    \
    X(void, XML_SetStartElementHandler,                                        \
      (XML_Parser parser, XML_StartElementHandler handler), (parser, handler)) \
    X(void, XML_SetUserData, (XML_Parser parser, void *userData),              \
      (parser, userData))

enum {
    EXPAT_FUNCS(PCCS_DYNLIB_SYM) EXPAT_STRS(PCCS_DYNLIB_SYM)
        EXPAT_VOIDS(PCCS_DYNLIB_SYM) NSYMS
};
static const char *const names[NSYMS] = {EXPAT_FUNCS(PCCS_DYNLIB_NAME)
                                             EXPAT_STRS(PCCS_DYNLIB_NAME)
                                                 EXPAT_VOIDS(PCCS_DYNLIB_NAME)};
static void *fns[NSYMS];
static struct pccs_dynlib lib = {EXPAT_LIBRARY, names, fns, NSYMS, 0};

EXPAT_FUNCS(PCCS_DYNLIB_FN)
EXPAT_STRS(PCCS_DYNLIB_STR_FN)
EXPAT_VOIDS(PCCS_DYNLIB_VOID_FN)

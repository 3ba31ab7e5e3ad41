/*
 * test_redact.c: unit tests for redact_text(): every kind of personal data
 * in the forms citizens type, and the look-alikes that must stay.
 */
#include <stdlib.h>
#include <string.h>

#include "redact.h"
#include "test.h"

/* Redact text and compare with want; also check the found mask. */
#define CHECK(text, want, mask)                                                \
	do {                                                                   \
		unsigned found_ = 0xff;                                        \
		char *got_ = redact_text((text), &found_);                     \
		TEST_STREQ(got_, (want));                                      \
		TEST_CHECK(found_ == (unsigned)(mask));                        \
		free(got_);                                                    \
	} while (0)

/* Text that must come back unchanged with nothing found. */
#define KEEP(text) CHECK((text), (text), 0)

static void
test_hetu_centuries(void)
{
	CHECK("131052-308T", "[hetu]", REDACT_HETU);
	CHECK("131052+308T", "[hetu]", REDACT_HETU);
	CHECK("131052Y308T", "[hetu]", REDACT_HETU);
	CHECK("131052X308T", "[hetu]", REDACT_HETU);
	CHECK("131052W308T", "[hetu]", REDACT_HETU);
	CHECK("131052V308T", "[hetu]", REDACT_HETU);
	CHECK("131052U308T", "[hetu]", REDACT_HETU);
	CHECK("010105A123N", "[hetu]", REDACT_HETU);
	CHECK("010105B123N", "[hetu]", REDACT_HETU);
	CHECK("010105C123N", "[hetu]", REDACT_HETU);
	CHECK("010105D123N", "[hetu]", REDACT_HETU);
	CHECK("010105E123N", "[hetu]", REDACT_HETU);
	CHECK("010105F123N", "[hetu]", REDACT_HETU);
}

static void
test_hetu_forms(void)
{
	CHECK("131052a308t", "[hetu]", REDACT_HETU);
	CHECK("131052y308t", "[hetu]", REDACT_HETU);
	/* Wrong check character (right one is T): still personal data. */
	CHECK("131052-308U", "[hetu]", REDACT_HETU);
	CHECK("131052-308G", "[hetu]", REDACT_HETU);
	CHECK("131052-3085", "[hetu]", REDACT_HETU);
	CHECK("Hetu: 131052-308T.", "Hetu: [hetu].", REDACT_HETU);
	CHECK("(131052-308T), kiitos", "([hetu]), kiitos", REDACT_HETU);
	CHECK("hetu 131052-308T,ok", "hetu [hetu],ok", REDACT_HETU);
	CHECK("hetu=131052-308T", "hetu=[hetu]", REDACT_HETU);
	/* Part of a longer alphanumeric run: not a code on its own. */
	KEEP("x131052-308T");
	KEEP("131052-308TT");
	KEEP("9131052-308T");
	KEEP("131052-308Tä");
	/* Spaces around the century sign: not the contiguous form. */
	KEEP("131052 - 308T");
	KEEP("131052-30");
}

static void
test_hetu_dates(void)
{
	KEEP("310499-123A"); /* 31 April */
	KEEP("290299-123A"); /* 1999 is not a leap year */
	KEEP("011399-123A"); /* month 13 */
	KEEP("001299-123A"); /* day 00 */
	KEEP("320199-1234"); /* day 32 */
	KEEP("310299-123A");
	CHECK("290200A123B", "[hetu]", REDACT_HETU); /* 2000 is leap */
	KEEP("290200-123A");                         /* 1900 is not */
	KEEP("290200U123A");
	CHECK("290100-123A", "[hetu]", REDACT_HETU); /* 29 January */
	CHECK("290296-123A", "[hetu]", REDACT_HETU); /* 1996 is */
	KEEP("290200+123A");                         /* 1800 is not */
	CHECK("290204B123C", "[hetu]", REDACT_HETU);
	CHECK("311299-999X", "[hetu]", REDACT_HETU);
}

static void
test_phone(void)
{
	CHECK("040 123 4567", "[phone]", REDACT_PHONE);
	CHECK("0401234567", "[phone]", REDACT_PHONE);
	CHECK("040-123 4567", "[phone]", REDACT_PHONE);
	CHECK("+358 40 123 4567", "[phone]", REDACT_PHONE);
	CHECK("+358401234567", "[phone]", REDACT_PHONE);
	CHECK("(06) 218 9000", "[phone]", REDACT_PHONE);
	CHECK("06 218 9000", "[phone]", REDACT_PHONE);
	CHECK("09 2525 0111", "[phone]", REDACT_PHONE);
	CHECK("0800 147 111", "[phone]", REDACT_PHONE);
	CHECK("+358 (0)40 123 4567", "[phone]", REDACT_PHONE);
	CHECK("Soita 040 123 4567.", "Soita [phone].", REDACT_PHONE);
	CHECK("puh:0401234567, kiitos", "puh:[phone], kiitos", REDACT_PHONE);
	CHECK("040 123 4567 tai 050 765 4321", "[phone] tai [phone]",
	    REDACT_PHONE);
	CHECK("0401234567 0507654321", "[phone] [phone]", REDACT_PHONE);
	CHECK("040 123 4567 ja 3 lasta", "[phone] ja 3 lasta", REDACT_PHONE);
}

static void
test_numbers_kept(void)
{
	KEEP("Hätänumero on 112.");
	KEEP("Päivystysapu 116 117 vastaa.");
	KEEP("Vuonna 2024 klo 14:30.");
	KEEP("Aika 1.9.2025 tai 12.3. klo 8-16");
	KEEP("Hinta 35,50 € tai 0,50 €");
	KEEP("3x+5=20");
	KEEP("01.09.2025 ja 2024-01-15");
	KEEP("012 345");
	KEEP("0401234567890123456"); /* 19 digits: no phone number */
	KEEP("040123456x");
}

static void
test_email(void)
{
	CHECK("matti.meikalainen@example.fi", "[email]", REDACT_EMAIL);
	CHECK("a@b.c", "[email]", REDACT_EMAIL);
	CHECK("Posti: anna_k+neuvo@mail.hyvinvointialue.fi.", "Posti: [email].",
	    REDACT_EMAIL);
	CHECK("<pekka.mäkinen@yhtiö.fi>", "<[email]>", REDACT_EMAIL);
	CHECK("“ville@x.fi”", "“[email]”", REDACT_EMAIL);
	CHECK("MATTI@EXAMPLE.COM ja a-b@c-d.e.f", "[email] ja [email]",
	    REDACT_EMAIL);
	KEEP("matti@localhost");
	KEEP("@example.fi ja matti@ ja @");
	KEEP("sähköposti ei ole tiedossa.");
}

static void
test_iban(void)
{
	CHECK("FI21 1234 5600 0007 85", "[iban]", REDACT_IBAN);
	CHECK("FI2112345600000785", "[iban]", REDACT_IBAN);
	CHECK("fi21 1234 5600 0007 85", "[iban]", REDACT_IBAN);
	CHECK("SE45 5000 0000 0583 9825 7466", "[iban]", REDACT_IBAN);
	CHECK("GB82 WEST 1234 5698 7654 32", "[iban]", REDACT_IBAN);
	CHECK("Tilille FI21 1234 5600 0007 85 kiitos.",
	    "Tilille [iban] kiitos.", REDACT_IBAN);
	CHECK("SE45 5000 0000 0583 9825 7466 talo", "[iban] talo", REDACT_IBAN);
	CHECK("(FI2112345600000785)", "([iban])", REDACT_IBAN);
	KEEP("FI21 1234 5600"); /* too short */
	KEEP("AB12");
	KEEP("Covid19 ja FI21.");
}

static void
test_address(void)
{
	CHECK("Kauppapuistikko 12 B 5", "[address]", REDACT_ADDRESS);
	CHECK("Asun Hietalahdenkatu 3, Vaasa", "Asun [address], Vaasa",
	    REDACT_ADDRESS);
	CHECK("Mannerheimintie 5 A 10.", "[address].", REDACT_ADDRESS);
	CHECK("Storgatan 12", "[address]", REDACT_ADDRESS);
	CHECK("Sandviksvägen 4 C", "[address]", REDACT_ADDRESS);
	CHECK("Korsholmanpuistikko 44", "[address]", REDACT_ADDRESS);
	CHECK("Vaasanpuistikko 8 as 3", "[address]", REDACT_ADDRESS);
	CHECK("Itä-Hakkilankatu 12b", "[address]", REDACT_ADDRESS);
	CHECK("Kauppakatu 12B 5, Vaasa", "[address], Vaasa", REDACT_ADDRESS);
	CHECK("SANDVIKSVÄGEN 4", "[address]", REDACT_ADDRESS);
	CHECK("Norra Esplanaden 8", "Norra [address]", REDACT_ADDRESS);
	CHECK("Storgatan 12 i Vasa", "[address] i Vasa", REDACT_ADDRESS);
	CHECK(
	    "Hämeenkatu 5 ja 3 lasta", "[address] ja 3 lasta", REDACT_ADDRESS);
	CHECK("Storgatan 12 lgh 1102", "[address]", REDACT_ADDRESS);
	CHECK("hietalahdenkatu 3 a 5", "[address]", REDACT_ADDRESS);
	CHECK("Kauppakatu 12-14 ja Vaasantie 7 as. 2", "[address] ja [address]",
	    REDACT_ADDRESS);
	KEEP("Katu on liukas, tie 5 suljettu.");
	KEEP("Hietalahdenkatu on kaunis.");
	KEEP("Mannerheimintie 12345");
	KEEP("Kävelin katua 5 minuuttia.");
}

static void
test_mixed(void)
{
	CHECK("Hei, olen Äijä, hetu 010190-123A ja puh 040 123 4567.",
	    "Hei, olen Äijä, hetu [hetu] ja puh [phone].",
	    REDACT_HETU | REDACT_PHONE);
	CHECK("131052-308T, a@b.fi, FI2112345600000785, 0401234567, "
	      "Storgatan 12 🙂",
	    "[hetu], [email], [iban], [phone], [address] 🙂",
	    REDACT_HETU | REDACT_EMAIL | REDACT_IBAN | REDACT_PHONE |
		REDACT_ADDRESS);
	KEEP("");
	KEEP("Hyvää päivää! Miten voin varata ajan? 😊 åäö ÅÄÖ é");
	KEEP("\xc3"); /* truncated UTF-8 is copied as is */
	KEEP("-+()@. ");
}

static void
test_found_null(void)
{
	char *got;

	got = redact_text("puh 0401234567", NULL);
	TEST_STREQ(got, "puh [phone]");
	free(got);
}

int
main(void)
{
	test_hetu_centuries();
	test_hetu_forms();
	test_hetu_dates();
	test_phone();
	test_numbers_kept();
	test_email();
	test_iban();
	test_address();
	test_mixed();
	test_found_null();
	return (TEST_REPORT());
}

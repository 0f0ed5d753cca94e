"""Factories and helpers for procurement tests."""

import io
import zipfile
from datetime import timedelta

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from procurement.models import Call, Criterion
from stakeholders.models import OrganisationKind
from tests.factories import OrganisationFactory

MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def pdf_upload(name="offer.pdf", content=MINIMAL_PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def exe_upload(name="offer.pdf"):
    return SimpleUploadedFile(name, b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200,
                              content_type="application/pdf")


def zip_bytes(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def docx_upload(name="plan.docx"):
    manifest = (b'<?xml version="1.0"?><Types><Override PartName="/word/document.xml" '
                b'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.'
                b'document.main+xml"/></Types>')
    return SimpleUploadedFile(name, zip_bytes({"[Content_Types].xml": manifest,
                                               "word/document.xml": b"<w/>"}))


def xlsx_upload(name="budget.xlsx"):
    manifest = (b'<Types><Override ContentType="application/vnd.openxmlformats-officedocument.'
                b'spreadsheetml.sheet.main+xml"/></Types>')
    return SimpleUploadedFile(name, zip_bytes({"[Content_Types].xml": manifest}))


def odt_upload(name="plan.odt"):
    return SimpleUploadedFile(name, zip_bytes({
        "mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"}))


class BuyerFactory(OrganisationFactory):
    kind = OrganisationKind.MUNICIPALITY
    name = factory.Sequence(lambda n: f"City Authority {n}")
    slug = factory.Sequence(lambda n: f"city-authority-{n}")


class CallFactory(factory.django.DjangoModelFactory):
    """A complete draft; use ``published_call`` to get it published through the service."""

    class Meta:
        model = Call
        skip_postgeneration_save = True

    buyer = factory.SubFactory(BuyerFactory)
    title = factory.Sequence(lambda n: f"Smart parking sensors {n}")
    slug = factory.Sequence(lambda n: f"smart-parking-{n}")
    challenge = "Detect free parking spaces in the old town and publish them as open data."
    procedure = Call.Procedure.PRE_COMMERCIAL
    cpv_codes = factory.LazyFunction(lambda: ["48000000-8", "73100000-3"])
    nuts_region = "HR031"
    estimated_value = 250000
    currency = "EUR"
    clarification_deadline = factory.LazyFunction(lambda: timezone.now() + timedelta(days=10))
    submission_deadline = factory.LazyFunction(lambda: timezone.now() + timedelta(days=20))

    @factory.post_generation
    def criteria(obj, create, extracted, **kwargs):
        if not create:
            return
        for position, (name, weight) in enumerate(extracted or [("Quality", 60), ("Price", 40)]):
            Criterion.objects.create(call=obj, name=name, weight=weight, position=position)

from django import forms
from django.conf import settings


class PlanUploadForm(forms.Form):
    file = forms.FileField(
        label="Plan workbook",
        help_text="The .xlsx import template (or a .zip or .json file from an export).",
        widget=forms.ClearableFileInput(
            attrs={"class": "govuk-file-upload", "accept": ".xlsx,.zip,.json"}
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.PLAN_UPLOAD_MAX_BYTES:
            limit = settings.PLAN_UPLOAD_MAX_BYTES // (1024 * 1024)
            raise forms.ValidationError(
                f"The file is larger than {limit} MB. Remove unused sheets or images and try again."
            )
        return upload

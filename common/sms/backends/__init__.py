"""SMS backends: console, filebased, locmem, brevo (see `common.sms`)."""

"""Letters to statushouders: Dutch original plus the person's language, as one PDF.

``contexts`` says what each letter prints, ``sources`` builds those from the database,
``render`` turns a context into a PDF with the vendored fonts, ``archive`` stores every
letter produced, ``pool`` renders outside the web server's event loop, ``batch`` does many.
"""

from django.conf import settings


def academy(request):
    return {"academy_name": settings.ACADEMY_NAME}

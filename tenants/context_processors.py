def agency(request):
    return {"agency": getattr(request, "agency", None)}

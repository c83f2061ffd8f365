from django.shortcuts import render


def home(request):
    return render(request, "plans/home.html", {"nav": "plan"})
